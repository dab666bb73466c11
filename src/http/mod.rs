//! The shared HTTP layer: one blocking reqwest client (rustls) for every service, with
//! per-service rate limits, retries that honour `Retry-After`, never a blind retry of a
//! create, secret redaction in every trace, and `http://` refused except on loopback.

mod client;
pub mod concurrent;
mod error;
pub mod limit;
pub mod redact;

pub use client::{
    BaseUrl, BaseUrlError, Call, Exchange, Http, HttpOptions, Observer, Response, RetryPolicy,
    Service, ServicePolicy, ServiceStats, Stats, WaitReason, default_error_message,
};
pub use error::{ApiError, ApiErrorKind};
pub use limit::RateLimit;
