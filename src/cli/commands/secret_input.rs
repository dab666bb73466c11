//! Reading a secret for `integration add` and `source set huntress`: from stdin with
//! `--secret-stdin`, else the environment (used as is, stored nowhere), else a hidden
//! prompt on a terminal — never from a flag, never echoed.
//!
//! `--secret-stdin` reads piped input only: on a terminal it would wait silently and echo
//! the secret, so it is refused (exit 2). When it came from `PSA_LINK_SECRET_STDIN` alone
//! (exported for one CI step, say) and the secret's own variable is set, that variable
//! wins: the environment holds the secret, and stdin is not read.

use std::io::{BufRead, IsTerminal};

use crate::cli::Ctx;
use crate::cli::args::{SecretArgs, SecretStoreArg};
use crate::error::{Exit, Failure};
use crate::secrets::{Secret, SecretKey};
use crate::store::SecretStoreKind;

/// Where the secret came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretOrigin {
    Stdin,
    Environment,
    Prompt,
}

impl SecretOrigin {
    /// Where the secret is kept between runs: the store `--secret-store` chose, else
    /// nowhere when it came from the environment (SPEC §5), else the OS keyring.
    pub(crate) fn store_kind(self, chosen: Option<SecretStoreArg>) -> SecretStoreKind {
        match (self, chosen) {
            (_, Some(chosen)) => chosen.into(),
            (SecretOrigin::Environment, None) => SecretStoreKind::Env,
            (_, None) => SecretStoreKind::Keyring,
        }
    }
}

/// Stores the secret in `kind`'s store, unless it came from the environment: such a
/// secret is used as is and stored nowhere.
pub(crate) fn keep(
    ctx: &Ctx,
    key: &SecretKey,
    secret: &Secret,
    origin: SecretOrigin,
    kind: SecretStoreKind,
) -> anyhow::Result<()> {
    if origin != SecretOrigin::Environment {
        ctx.secrets()?.store(key, secret, kind)?;
    }
    Ok(())
}

pub(crate) fn obtain(
    ctx: &Ctx,
    key: &SecretKey,
    flags: &SecretArgs,
    label: &str,
) -> anyhow::Result<(Secret, SecretOrigin)> {
    let from_env = ctx.secrets()?.from_environment(key)?;
    if flags.secret_stdin && !(flags.secret_stdin_from_env && from_env.is_some()) {
        return Ok((read_stdin(key, flags, label)?, SecretOrigin::Stdin));
    }
    if let Some(secret) = from_env {
        if flags.secret_stdin {
            ctx.out.status(format!(
                "{label} from {}; PSA_LINK_SECRET_STDIN is ignored while that variable is set",
                key.env_var()
            ));
        }
        return Ok((secret, SecretOrigin::Environment));
    }
    if let Some(value) = ctx.prompt.password(&format!("{label} (input hidden)"))?
        && !value.is_empty()
    {
        return Ok((Secret::new(value), SecretOrigin::Prompt));
    }
    Err(Failure::new(Exit::Config, format!("no {label} given"))
        .with_fix(format!(
            "set {} in the environment, pipe it with --secret-stdin, or run on a terminal to be asked",
            key.env_var()
        ))
        .into())
}

/// One line from piped stdin; a terminal is refused rather than read with echo on.
fn read_stdin(key: &SecretKey, flags: &SecretArgs, label: &str) -> anyhow::Result<Secret> {
    let origin = if flags.secret_stdin_from_env {
        "--secret-stdin (from PSA_LINK_SECRET_STDIN)"
    } else {
        "--secret-stdin"
    };
    if std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "{origin} reads the {label} from piped input, but stdin is a terminal"
        ))
        .with_fix(format!(
            "pipe it in, e.g. `printf '%s' \"$SECRET\" | psa-link ... --secret-stdin`; set {}; or drop --secret-stdin (unset PSA_LINK_SECRET_STDIN) to be asked with hidden input",
            key.env_var()
        ))
        .into());
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let value = line.trim_end_matches(['\r', '\n']).to_string();
    if value.is_empty() {
        return Err(Failure::usage(format!("{origin} was given but stdin held no {label}"))
            .with_fix(format!("pipe it in, e.g. `printf '%s' \"$SECRET\" | psa-link ... --secret-stdin`, or set {}", key.env_var()))
            .into());
    }
    Ok(Secret::new(value))
}
