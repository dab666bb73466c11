//! The one error type every API client (Huntress and the PSAs) returns.

use std::fmt;
use std::time::Duration;

use crate::error::Exit;

/// What went wrong, in terms that decide the exit code and whether a retry could help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// Credentials refused (401, or a vendor's equivalent).
    Auth,
    /// Authenticated but not allowed (403, or a vendor's equivalent).
    Permission,
    /// The record does not exist.
    NotFound,
    /// The service understood the request and refused it (validation, required fields,
    /// invalid status, conflicting state).
    Rejected,
    /// The service answered success, but reading the record back shows the change did not
    /// take (ConnectWise's "200 but not applied", a HaloPSA agent without edit rights).
    NotApplied,
    /// Rate limited, and the wait budget is spent.
    RateLimited,
    /// The service is down or unreachable (connection refused, DNS, 502/503/504).
    Network,
    /// The service failed on its side (500 and other 5xx) after the retries: a transient
    /// failure for cron (exit 8), not a rejection of what psa-link sent.
    ServerError,
    /// No answer within the timeout.
    Timeout,
    /// The service answered with something we cannot read.
    Protocol,
    /// The request went to the wrong place: a configured endpoint that does not exist
    /// (e.g. an Authorisation Server answering 404). Fixed in the configuration.
    Config,
}

/// An API failure with enough context to print a useful message: the service, the
/// request (secrets already removed from the URL), the status and the vendor's own text.
/// Boxed so `Result<_, ApiError>` stays small; fields are reached through `Deref`.
#[derive(Debug, Clone)]
pub struct ApiError(Box<ApiErrorDetails>);

#[derive(Debug, Clone)]
pub struct ApiErrorDetails {
    pub service: String,
    pub kind: ApiErrorKind,
    pub status: Option<u16>,
    pub method: String,
    /// Redacted URL, without query secrets.
    pub url: String,
    /// The vendor's message, extracted from whatever body shape it used.
    pub message: String,
    /// The raw response body (truncated), for backends that diagnose vendor texts.
    pub body: String,
    /// What the technician should do about it.
    pub fix: Option<String>,
    /// How long we waited before giving up (timeouts, rate limits).
    pub waited: Option<Duration>,
}

impl std::ops::Deref for ApiError {
    type Target = ApiErrorDetails;
    fn deref(&self) -> &ApiErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ApiErrorDetails {
        &mut self.0
    }
}

impl ApiError {
    pub fn new(service: impl Into<String>, kind: ApiErrorKind, message: impl Into<String>) -> Self {
        ApiError(Box::new(ApiErrorDetails {
            service: service.into(),
            kind,
            status: None,
            method: String::new(),
            url: String::new(),
            message: message.into(),
            body: String::new(),
            fix: None,
            waited: None,
        }))
    }

    /// A response we could not interpret (missing field, wrong type).
    pub fn protocol(service: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::new(service, ApiErrorKind::Protocol, message)
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn with_kind(mut self, kind: ApiErrorKind) -> Self {
        self.kind = kind;
        self
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn exit(&self) -> Exit {
        match self.kind {
            ApiErrorKind::Auth | ApiErrorKind::Permission => Exit::Auth,
            ApiErrorKind::NotFound | ApiErrorKind::Rejected | ApiErrorKind::NotApplied => {
                Exit::Rejected
            }
            ApiErrorKind::RateLimited
            | ApiErrorKind::Network
            | ApiErrorKind::Timeout
            | ApiErrorKind::ServerError => Exit::Network,
            ApiErrorKind::Protocol => Exit::Unexpected,
            ApiErrorKind::Config => Exit::Config,
        }
    }

    pub fn is(&self, kind: ApiErrorKind) -> bool {
        self.kind == kind
    }

    /// True when the body or message contains `needle` (case-insensitive); backends use it
    /// to recognise the vendor texts of SPEC §7.
    pub fn mentions(&self, needle: &str) -> bool {
        let needle = needle.to_ascii_lowercase();
        self.message.to_ascii_lowercase().contains(&needle)
            || self.body.to_ascii_lowercase().contains(&needle)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ApiErrorKind::Auth => "refused the credentials",
            ApiErrorKind::Permission => "denied permission",
            ApiErrorKind::NotFound => "found no such record",
            ApiErrorKind::Rejected => "rejected the request",
            ApiErrorKind::NotApplied => "did not apply the change",
            ApiErrorKind::RateLimited => "kept rate-limiting the request",
            ApiErrorKind::Network => "could not be reached",
            ApiErrorKind::ServerError => "failed with a server error",
            ApiErrorKind::Timeout => "did not answer in time",
            ApiErrorKind::Protocol => "sent a response psa-link cannot read",
            ApiErrorKind::Config => "is not where the configuration says",
        };
        write!(f, "{} {}", self.service, what)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if !self.method.is_empty() {
            write!(f, " ({} {}", self.method, self.url)?;
            if let Some(status) = self.status {
                write!(f, " -> {status}")?;
            }
            if let Some(waited) = self.waited {
                write!(f, " after waiting {:.1}s", waited.as_secs_f64())?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_documented_exit_codes() {
        let e = |k| ApiError::new("HaloPSA", k, "x").exit();
        assert_eq!(e(ApiErrorKind::Auth), Exit::Auth);
        assert_eq!(e(ApiErrorKind::Permission), Exit::Auth);
        assert_eq!(e(ApiErrorKind::Rejected), Exit::Rejected);
        assert_eq!(e(ApiErrorKind::ServerError), Exit::Network);
        assert_eq!(e(ApiErrorKind::NotFound), Exit::Rejected);
        assert_eq!(e(ApiErrorKind::NotApplied), Exit::Rejected);
        assert_eq!(e(ApiErrorKind::RateLimited), Exit::Network);
        assert_eq!(e(ApiErrorKind::Timeout), Exit::Network);
        assert_eq!(e(ApiErrorKind::Network), Exit::Network);
    }

    #[test]
    fn display_names_service_request_and_status() {
        let mut e = ApiError::new("ConnectWise", ApiErrorKind::Rejected, "summary too long");
        e.method = "POST".into();
        e.url = "https://x/service/tickets".into();
        e.status = Some(400);
        assert_eq!(
            e.to_string(),
            "ConnectWise rejected the request: summary too long (POST https://x/service/tickets -> 400)"
        );
    }
}
