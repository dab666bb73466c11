//! Reading a secret for `integration add` and `source set huntress`: from stdin with
//! `--secret-stdin`, else the environment (used as is, stored nowhere), else a hidden
//! prompt on a terminal — never from a flag, never echoed.

use std::io::BufRead;

use crate::cli::Ctx;
use crate::cli::args::SecretStoreArg;
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
    from_stdin: bool,
    label: &str,
) -> anyhow::Result<(Secret, SecretOrigin)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let value = line.trim_end_matches(['\r', '\n']).to_string();
        if value.is_empty() {
            return Err(Failure::usage(format!("--secret-stdin was given but stdin held no {label}"))
                .with_fix(format!("pipe it in, e.g. `printf '%s' \"$SECRET\" | psa-link ... --secret-stdin`, or set {}", key.env_var()))
                .into());
        }
        return Ok((Secret::new(value), SecretOrigin::Stdin));
    }
    if let Some(secret) = ctx.secrets()?.from_environment(key)? {
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
