use std::path::Path;

use crate::cli::Ctx;
use crate::cli::args::{SourceFileArgs, SourceSetCommand};
use crate::error::{Exit, Failure};
use crate::store::{FileSourceConfig, SourceConfig};

pub fn run(ctx: &mut Ctx, args: &SourceSetCommand) -> anyhow::Result<Exit> {
    match args {
        SourceSetCommand::File(a) => set_file(ctx, a),
        SourceSetCommand::Huntress(_) => super::super::not_yet("source set huntress"),
    }
}

/// `source set file PATH`: the path must exist; it is stored absolute so cron jobs run
/// from any directory find it.
fn set_file(ctx: &mut Ctx, args: &SourceFileArgs) -> anyhow::Result<Exit> {
    let path = std::path::absolute(&args.path)
        .map_err(|e| Failure::config(format!("cannot resolve {}: {e}", args.path.display())))?;
    check_source_file(&path)?;
    let source = SourceConfig::File(FileSourceConfig { path: path.clone() });
    ctx.store()?.edit_config(|c| c.set_source(Some(&source)))?;
    if ctx.out.json {
        ctx.out
            .json_doc(&serde_json::json!({ "source": super::show::file_json(&path) }))?;
    } else {
        ctx.out.success(format!("source: file {}", path.display()));
    }
    Ok(Exit::Success)
}

fn check_source_file(path: &Path) -> Result<(), Failure> {
    let fix = "give the path of a JSON file with `organizations` and `incident_reports` in the Huntress API's shapes";
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Failure::config(format!("{} does not exist", path.display())).with_fix(fix))
        }
        Err(e) => {
            Err(Failure::config(format!("cannot read {}: {e}", path.display())).with_fix(fix))
        }
        Ok(meta) if meta.is_dir() => {
            Err(Failure::config(format!("{} is a directory", path.display())).with_fix(fix))
        }
        Ok(_) if path.to_str().is_none() => Err(Failure::config(format!(
            "{} is not a UTF-8 path, which config.toml cannot hold",
            path.display()
        ))
        .with_fix("move or link the file to a path without such characters")),
        Ok(_) => Ok(()),
    }
}
