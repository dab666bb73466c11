//! `source test`: re-verifies access to the configured source.

use serde_json::json;

use crate::cli::Ctx;
use crate::error::Exit;

pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let config = ctx.config()?;
    let source = ctx.open_source(&config)?;
    let spinner = ctx.out.spinner("checking the source");
    let account = source.account()?;
    let organizations = source.organizations()?.len();
    spinner.finish_and_clear();
    if ctx.out.json {
        ctx.out
            .json_doc(&json!({ "ok": true, "account": account, "organizations": organizations }))?;
    } else {
        ctx.out.success(format!(
            "source reachable: account {} (id {}), {organizations} organizations",
            account.name, account.id
        ));
    }
    Ok(Exit::Success)
}
