//! Exit codes (SPEC §6) and the error that carries one to the edge.
//!
//! Domain modules return their own typed errors (`ApiError`, `StoreError`, ...); the CLI
//! turns any of them into a [`Failure`] with [`Failure::from_anyhow`], which downcasts to
//! find the documented exit code and the "fix" hint to print.

use std::fmt;

/// The documented process exit codes. Never renumber: scripts depend on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    Success = 0,
    Unexpected = 1,
    Usage = 2,
    Config = 3,
    Auth = 4,
    MappingIncomplete = 5,
    Rejected = 6,
    CheckFailed = 7,
    Network = 8,
    /// Stopped by Ctrl-C with work left (128 + SIGINT, the shell's convention).
    Interrupted = 130,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The documented meaning of a process exit code (another psa-link run's, say); codes
    /// outside the table are unexpected failures.
    pub fn from_code(code: i32) -> Exit {
        [
            Exit::Success,
            Exit::Unexpected,
            Exit::Usage,
            Exit::Config,
            Exit::Auth,
            Exit::MappingIncomplete,
            Exit::Rejected,
            Exit::CheckFailed,
            Exit::Network,
            Exit::Interrupted,
        ]
        .into_iter()
        .find(|e| i32::from(e.code()) == code)
        .unwrap_or(Exit::Unexpected)
    }

    /// The more serious of two outcomes, for batch commands that keep going after a
    /// failure: the first non-success wins, so the code names the first problem met.
    pub fn worst(self, other: Exit) -> Exit {
        if self == Exit::Success { other } else { self }
    }
}

/// An error with its exit code and, where we know one, the fix a technician should apply.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    pub fix: Option<String>,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Failure {
            exit,
            message: message.into(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn config(message: impl Into<String>) -> Self {
        Failure::new(Exit::Config, message)
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Failure::new(Exit::Usage, message)
    }

    /// Finds the exit code and fix for any error produced in this crate: the first typed
    /// error in the chain decides; the message keeps every layer of context.
    pub fn from_anyhow(err: anyhow::Error) -> Failure {
        let message = format!("{err:#}");
        for cause in err.chain() {
            if let Some(f) = cause.downcast_ref::<Failure>() {
                return Failure {
                    exit: f.exit,
                    message,
                    fix: f.fix.clone(),
                };
            }
            if let Some(api) = cause.downcast_ref::<crate::http::ApiError>() {
                return Failure {
                    exit: api.exit(),
                    message,
                    fix: api.fix.clone(),
                };
            }
            if let Some(e) = cause.downcast_ref::<crate::store::StoreError>() {
                return Failure {
                    exit: e.exit(),
                    message,
                    fix: e.fix(),
                };
            }
            if let Some(e) = cause.downcast_ref::<crate::secrets::SecretError>() {
                return Failure {
                    exit: e.exit(),
                    message,
                    fix: e.fix(),
                };
            }
            if let Some(e) = cause.downcast_ref::<crate::http::BaseUrlError>() {
                return Failure {
                    exit: Exit::Config,
                    message,
                    fix: Some(format!("give a URL such as https://api.example.com ({e})")),
                };
            }
        }
        Failure::new(Exit::Unexpected, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_unexpected() {
        for code in 0..=8 {
            assert_eq!(i32::from(Exit::from_code(code).code()), code);
        }
        assert_eq!(Exit::from_code(130), Exit::Interrupted);
        assert_eq!(Exit::from_code(9), Exit::Unexpected);
    }

    #[test]
    fn worst_keeps_the_first_failure() {
        assert_eq!(Exit::Success.worst(Exit::Rejected), Exit::Rejected);
        assert_eq!(Exit::Rejected.worst(Exit::Network), Exit::Rejected);
        assert_eq!(Exit::Success.worst(Exit::Success), Exit::Success);
    }

    #[test]
    fn failure_survives_anyhow_context() {
        let err =
            anyhow::Error::new(Failure::config("no integration").with_fix("run integration add"))
                .context("loading the integration");
        let f = Failure::from_anyhow(err);
        assert_eq!(f.exit, Exit::Config);
        assert_eq!(f.fix.as_deref(), Some("run integration add"));
        assert!(f.message.contains("loading the integration"));
    }
}
