use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::Method;
use reqwest::blocking::Client;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApiError, ApiErrorKind};
use super::limit::{Limiter, RateLimit};
use super::redact;
use crate::secrets::Secret;

/// Base URL of a service, validated: https, or http only towards a loopback address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(url::Url);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("'{0}' is not a URL (expected for example https://api.example.com)")]
    Invalid(String),
    #[error("'{0}' uses plain http:// towards a non-loopback host; only https:// is allowed there")]
    PlainHttp(String),
    #[error("'{0}' must start with https:// (or http:// for a loopback address)")]
    Scheme(String),
}

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<BaseUrl, BaseUrlError> {
        let raw = raw.trim();
        let mut u = url::Url::parse(raw).map_err(|_| BaseUrlError::Invalid(raw.to_string()))?;
        match u.scheme() {
            "https" => {}
            "http" => {
                let loopback = match u.host() {
                    Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                    Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                    None => false,
                };
                if !loopback {
                    return Err(BaseUrlError::PlainHttp(raw.to_string()));
                }
            }
            _ => return Err(BaseUrlError::Scheme(raw.to_string())),
        }
        if u.host().is_none() {
            return Err(BaseUrlError::Invalid(raw.to_string()));
        }
        u.set_query(None);
        u.set_fragment(None);
        let path = u.path().trim_end_matches('/').to_string();
        u.set_path(&path);
        Ok(BaseUrl(u))
    }

    /// `https://{host}` for a bare host name such as `acme.halopsa.com`.
    pub fn from_host(host: &str) -> Result<BaseUrl, BaseUrlError> {
        BaseUrl::parse(&format!("https://{}", host.trim()))
    }

    /// Same base with `suffix` appended to the path (`/v4_6_release/apis/3.0`).
    pub fn join_path(&self, suffix: &str) -> BaseUrl {
        let mut u = self.0.clone();
        let path = format!(
            "{}/{}",
            u.path().trim_end_matches('/'),
            suffix.trim_matches('/')
        );
        u.set_path(&path);
        BaseUrl(u)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    pub fn url(&self) -> &url::Url {
        &self.0
    }

    fn same_origin(&self, other: &url::Url) -> bool {
        self.0.scheme() == other.scheme()
            && self.0.host_str().map(str::to_ascii_lowercase)
                == other.host_str().map(str::to_ascii_lowercase)
            && self.0.port_or_known_default() == other.port_or_known_default()
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When and how often to retry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries after the first attempt for transport errors and server errors.
    pub max_retries: u32,
    /// First backoff step; doubles each retry, plus up to the same again of jitter.
    pub base_delay: Duration,
    /// First wait after a 429 that carries no `Retry-After` (the vendor's own guidance);
    /// doubles with each further 429 of the same request, with up to a quarter more of
    /// jitter, never beyond `max_single_wait`.
    pub wait_without_retry_after: Duration,
    /// Longest single wait, from `Retry-After` or our own growth.
    pub max_single_wait: Duration,
    /// Total time one request may spend waiting out 429s before we give up (exit 8).
    pub rate_limit_budget: Duration,
    /// Whether a plain 500 on an idempotent request is worth retrying (Autotask answers
    /// validation and permission failures with 500, so not there).
    pub retry_500: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            wait_without_retry_after: Duration::from_secs(30),
            max_single_wait: Duration::from_secs(120),
            rate_limit_budget: Duration::from_secs(300),
            retry_500: true,
        }
    }
}

/// Everything the HTTP layer needs to know about one vendor API.
#[derive(Clone)]
pub struct ServicePolicy {
    /// Human name used in messages ("HaloPSA", "Huntress").
    pub name: &'static str,
    pub rate_limit: RateLimit,
    /// Concurrent requests allowed (None = no cap).
    pub max_in_flight: Option<u32>,
    pub retry: RetryPolicy,
    /// Pulls the vendor's message out of an error body.
    pub error_message: fn(status: u16, body: &[u8]) -> String,
}

impl ServicePolicy {
    pub fn new(name: &'static str, rate_limit: RateLimit) -> Self {
        ServicePolicy {
            name,
            rate_limit,
            max_in_flight: None,
            retry: RetryPolicy::default(),
            error_message: default_error_message,
        }
    }
}

/// Why we are sleeping (reported to the user: SPEC §7 "reports how long it waited").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// Our own pacing at the vendor's documented limit.
    ClientRateLimit,
    /// The vendor answered 429.
    Throttled { retry_after: bool },
    /// Backoff before retrying a failed request.
    Backoff,
}

/// One request/response exchange, already redacted, for `-v` traces.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub service: String,
    pub method: String,
    pub url: String,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub elapsed: Duration,
    pub attempt: u32,
    /// Filled only when the observer asks for detail >= 2.
    pub request_headers: Vec<String>,
    pub request_body: Option<String>,
    pub response_body: Option<String>,
}

/// Receives traces and wait notices; the CLI prints them to stderr.
pub trait Observer: Send + Sync {
    /// 0 = nothing, 1 = one line per exchange, 2 = headers and bodies as well.
    fn detail(&self) -> u8 {
        0
    }
    fn exchange(&self, _ex: &Exchange) {}
    fn waiting(&self, _service: &str, _wait: Duration, _reason: WaitReason) {}
}

struct Silent;
impl Observer for Silent {}

/// Counters per service, for summaries and benchmarks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServiceStats {
    pub requests: u64,
    pub throttled: u64,
    pub rate_limit_wait_ms: u64,
    pub retries: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub services: std::collections::BTreeMap<String, ServiceStats>,
}

impl Stats {
    pub fn requests(&self) -> u64 {
        self.services.values().map(|s| s.requests).sum()
    }
    pub fn rate_limit_wait(&self) -> Duration {
        Duration::from_millis(self.services.values().map(|s| s.rate_limit_wait_ms).sum())
    }
}

#[derive(Clone)]
pub struct HttpOptions {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub user_agent: String,
    pub observer: Arc<dyn Observer>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
            user_agent: format!("psa-link/{}", env!("CARGO_PKG_VERSION")),
            observer: Arc::new(Silent),
        }
    }
}

/// The process-wide HTTP client. Cheap to clone; all clones share connections, rate
/// limiters (one per service name) and statistics.
#[derive(Clone)]
pub struct Http {
    inner: Arc<HttpInner>,
}

struct HttpInner {
    client: Client,
    options: HttpOptions,
    limiters: Mutex<HashMap<&'static str, Arc<Limiter>>>,
    stats: Mutex<Stats>,
}

impl Http {
    pub fn new(options: HttpOptions) -> anyhow::Result<Http> {
        let client = Client::builder()
            .redirect(redirect_policy())
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .user_agent(options.user_agent.clone())
            .pool_max_idle_per_host(16)
            .build()?;
        Ok(Http {
            inner: Arc::new(HttpInner {
                client,
                options,
                limiters: Mutex::new(HashMap::new()),
                stats: Mutex::new(Stats::default()),
            }),
        })
    }

    /// A client for one API. Services with the same policy name share one rate limiter.
    pub fn service(&self, policy: ServicePolicy, base: BaseUrl) -> Service {
        let limiter = {
            let mut map = self
                .inner
                .limiters
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            map.entry(policy.name)
                .or_insert_with(|| Arc::new(Limiter::new(policy.rate_limit, policy.max_in_flight)))
                .clone()
        };
        Service {
            http: self.clone(),
            policy: Arc::new(policy),
            base,
            limiter,
        }
    }

    pub fn stats(&self) -> Stats {
        self.inner
            .stats
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn timeout(&self) -> Duration {
        self.inner.options.timeout
    }

    fn observer(&self) -> &dyn Observer {
        self.inner.options.observer.as_ref()
    }

    fn record(&self, service: &str, f: impl FnOnce(&mut ServiceStats)) {
        let mut stats = self.inner.stats.lock().unwrap_or_else(|e| e.into_inner());
        f(stats.services.entry(service.to_string()).or_default());
    }
}

/// One vendor API at one base URL.
#[derive(Clone)]
pub struct Service {
    http: Http,
    policy: Arc<ServicePolicy>,
    base: BaseUrl,
    limiter: Arc<Limiter>,
}

impl Service {
    pub fn name(&self) -> &'static str {
        self.policy.name
    }

    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    /// The same service (same limiter and policy) at another base URL, e.g. the API
    /// root found by ConnectWise's codebase or Autotask's zone lookup.
    pub fn rebased(&self, base: BaseUrl) -> Service {
        Service {
            base,
            ..self.clone()
        }
    }

    pub fn get(&self, path: &str) -> Call<'_> {
        self.call(Method::GET, path)
    }
    pub fn post(&self, path: &str) -> Call<'_> {
        self.call(Method::POST, path)
    }
    pub fn put(&self, path: &str) -> Call<'_> {
        self.call(Method::PUT, path)
    }
    pub fn patch(&self, path: &str) -> Call<'_> {
        self.call(Method::PATCH, path)
    }
    pub fn delete(&self, path: &str) -> Call<'_> {
        self.call(Method::DELETE, path)
    }

    /// A request to `path` under the base URL, or to an absolute URL the service itself
    /// returned (a next-page link), which must share the base URL's origin so credentials
    /// never travel to another host.
    pub fn call(&self, method: Method, path: &str) -> Call<'_> {
        let target = if path.starts_with("http://") || path.starts_with("https://") {
            match url::Url::parse(path) {
                Ok(u) if self.base.same_origin(&u) => Ok(u),
                Ok(u) => Err(ApiError::protocol(
                    self.name(),
                    format!(
                        "refusing to follow a link to another host ({}); credentials stay with {}",
                        redact::url(u.as_str()),
                        self.base
                    ),
                )),
                Err(_) => Err(ApiError::protocol(
                    self.name(),
                    format!("invalid link '{path}'"),
                )),
            }
        } else {
            let joined = format!("{}/{}", self.base.as_str(), path.trim_start_matches('/'));
            url::Url::parse(&joined)
                .map_err(|_| ApiError::protocol(self.name(), format!("invalid path '{path}'")))
        };
        let retry_safe = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE
        );
        Call {
            service: self,
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            content_type: None,
            retry_safe,
            expected_failure: Vec::new(),
        }
    }
}

/// A request being built. `send()` applies the rate limit, retries and tracing.
pub struct Call<'a> {
    service: &'a Service,
    method: Method,
    target: Result<url::Url, ApiError>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    content_type: Option<&'static str>,
    retry_safe: bool,
    expected_failure: Vec<u16>,
}

impl<'a> Call<'a> {
    pub fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_string(), value.to_string()));
        self
    }

    pub fn query_opt(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.insert(n, v);
        }
        self
    }

    /// A header whose value is a credential: marked sensitive so it is never printed.
    pub fn secret_header(mut self, name: &str, value: &Secret) -> Self {
        if let (Ok(n), Ok(mut v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value.expose()),
        ) {
            v.set_sensitive(true);
            self.headers.insert(n, v);
        }
        self
    }

    pub fn bearer(self, token: &Secret) -> Self {
        let value = Secret::new(format!("Bearer {}", token.expose()));
        self.secret_header("Authorization", &value)
    }

    pub fn basic(self, user: &str, password: &Secret) -> Self {
        use base64::Engine;
        let raw = format!("{user}:{}", password.expose());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        let value = Secret::new(format!("Basic {encoded}"));
        self.secret_header("Authorization", &value)
    }

    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.body = Some(serde_json::to_vec(body).expect("request bodies serialise"));
        self.content_type = Some("application/json");
        self
    }

    pub fn form(mut self, pairs: &[(&str, &str)]) -> Self {
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.body = Some(encoded.into_bytes());
        self.content_type = Some("application/x-www-form-urlencoded");
        self
    }

    pub fn raw_body(mut self, body: Vec<u8>, content_type: &'static str) -> Self {
        self.body = Some(body);
        self.content_type = Some(content_type);
        self
    }

    /// This POST/PATCH may be repeated without changing the outcome (a token request, a
    /// query, an update that sets absolute values), so server errors and timeouts may be
    /// retried.
    pub fn idempotent(mut self) -> Self {
        self.retry_safe = true;
        self
    }

    /// This request creates something: never retried once it may have reached the server.
    /// (Connection failures before sending and 429 refusals are still retried.)
    pub fn create(mut self) -> Self {
        self.retry_safe = false;
        self
    }

    /// Statuses the caller handles itself (returned as `Ok`, not traced as failures).
    pub fn accept_status(mut self, statuses: &[u16]) -> Self {
        self.expected_failure.extend_from_slice(statuses);
        self
    }

    /// Sends and decodes a JSON body.
    pub fn send_json<T: DeserializeOwned>(self) -> Result<T, ApiError> {
        self.send()?.json()
    }

    pub fn send(self) -> Result<Response, ApiError> {
        let svc = self.service;
        let http = &svc.http;
        let policy = &svc.policy;
        let mut url = self.target?;
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(self.query.iter());
            // Form encoding leaves `*` bare, but ConnectWise's guide asks for it encoded
            // in `conditions`; `%2A` decodes to `*` on every server, so this is safe for all.
            if let Some(query) = url.query().filter(|q| q.contains('*')) {
                let escaped = query.replace('*', "%2A");
                url.set_query(Some(&escaped));
            }
        }
        let shown_url = redact::url(url.as_str());
        let mut attempt: u32 = 0;
        let mut throttled_wait = Duration::ZERO;
        let mut throttled: u32 = 0;
        loop {
            attempt += 1;
            let permit = svc.limiter.acquire();
            if permit.waited > Duration::from_millis(200) {
                http.observer()
                    .waiting(policy.name, permit.waited, WaitReason::ClientRateLimit);
            }
            http.record(policy.name, |s| {
                s.requests += 1;
                s.rate_limit_wait_ms += permit.waited.as_millis() as u64;
            });
            let mut req = http.inner.client.request(self.method.clone(), url.clone());
            let mut headers = self.headers.clone();
            if let Some(ct) = self.content_type {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
            }
            req = req.headers(headers.clone());
            if let Some(body) = &self.body {
                req = req.body(body.clone());
            }
            let started = Instant::now();
            let result = req.send().and_then(|resp| {
                let status = resp.status().as_u16();
                let headers = resp.headers().clone();
                let final_url = resp.url().to_string();
                resp.bytes()
                    .map(|b| (status, headers, b.to_vec(), final_url))
            });
            let elapsed = started.elapsed();
            drop(permit);

            let detail = http.observer().detail();
            let mut ex = Exchange {
                service: policy.name.to_string(),
                method: self.method.to_string(),
                url: shown_url.clone(),
                status: None,
                error: None,
                elapsed,
                attempt,
                request_headers: Vec::new(),
                request_body: None,
                response_body: None,
            };
            if detail >= 2 {
                ex.request_headers = headers
                    .iter()
                    .map(|(k, v)| redact::header(k.as_str(), v.to_str().unwrap_or("<binary>")))
                    .collect();
                ex.request_body = self
                    .body
                    .as_deref()
                    .map(|b| redact::body(self.content_type, b));
            }

            match result {
                Err(err) => {
                    let timeout = err.is_timeout();
                    // A connection that never opened carried nothing: safe to retry even
                    // for a create.
                    let never_sent = err.is_connect() && !timeout;
                    // A refused redirect would be refused again: no retry.
                    let refused_redirect = err.is_redirect();
                    ex.error = Some(redact::scrub(&describe_transport_error(&err)));
                    http.observer().exchange(&ex);
                    if (never_sent || self.retry_safe)
                        && !refused_redirect
                        && attempt <= policy.retry.max_retries
                    {
                        let wait = backoff(&policy.retry, attempt);
                        http.record(policy.name, |s| s.retries += 1);
                        http.observer()
                            .waiting(policy.name, wait, WaitReason::Backoff);
                        std::thread::sleep(wait);
                        continue;
                    }
                    let mut e = ApiError::new(
                        policy.name,
                        if timeout {
                            ApiErrorKind::Timeout
                        } else if refused_redirect {
                            // The base URL leads somewhere psa-link will not go: a
                            // configuration problem (exit 3), not the network's.
                            ApiErrorKind::Config
                        } else {
                            ApiErrorKind::Network
                        },
                        redact::scrub(&describe_transport_error(&err)),
                    );
                    e.method = self.method.to_string();
                    e.url = shown_url.clone();
                    if timeout {
                        e.waited = Some(http.timeout());
                        e.fix = Some(format!(
                            "{} did not answer within {}s; check the service's status page and your network, then re-run{}",
                            policy.name,
                            http.timeout().as_secs(),
                            if self.retry_safe {
                                ""
                            } else {
                                " (psa-link checks for a ticket that may have been created before creating another)"
                            }
                        ));
                    } else if refused_redirect {
                        e.fix = Some(format!(
                            "{} redirected psa-link somewhere it will not follow; use the service's https:// address as the base URL (a proxy or load balancer may be downgrading to http://)",
                            policy.name
                        ));
                    } else {
                        e.fix = Some(format!(
                            "check that {} is reachable from this machine (DNS, proxy, firewall); if the PSA restricts API access by IP address, allow this machine's public address",
                            svc.base
                        ));
                    }
                    return Err(e);
                }
                Ok((status, resp_headers, body, final_url)) => {
                    ex.status = Some(status);
                    if detail >= 2 {
                        let ct = resp_headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
                        let mut shown = redact::body(ct, &body);
                        if shown.len() > 4000 {
                            let mut cut = 4000;
                            while !shown.is_char_boundary(cut) {
                                cut -= 1;
                            }
                            shown.truncate(cut);
                            shown.push('…');
                        }
                        ex.response_body = Some(shown);
                    }
                    http.observer().exchange(&ex);
                    let response = Response {
                        service: policy.name,
                        status,
                        headers: resp_headers,
                        body,
                        url: final_url,
                    };
                    if (200..300).contains(&status) || self.expected_failure.contains(&status) {
                        return Ok(response);
                    }
                    if status == 429 {
                        let retry_after = parse_retry_after(&response.headers);
                        throttled += 1;
                        let budget_left = policy
                            .retry
                            .rate_limit_budget
                            .saturating_sub(throttled_wait);
                        let mut wait =
                            throttle_wait(&policy.retry, retry_after, throttled, jitter());
                        // Our own backoff may shorten its last step to spend the budget
                        // exactly; a server's Retry-After beyond the budget is final.
                        if retry_after.is_none() {
                            wait = wait.min(budget_left);
                        }
                        if throttled <= MAX_THROTTLED_ATTEMPTS
                            && wait >= MIN_THROTTLE_WAIT
                            && wait <= budget_left
                        {
                            throttled_wait += wait;
                            http.record(policy.name, |s| {
                                s.throttled += 1;
                                s.rate_limit_wait_ms += wait.as_millis() as u64;
                            });
                            http.observer().waiting(
                                policy.name,
                                wait,
                                WaitReason::Throttled {
                                    retry_after: retry_after.is_some(),
                                },
                            );
                            std::thread::sleep(wait);
                            continue;
                        }
                        let mut e = response.error(svc, &self.method, &shown_url);
                        e.waited = Some(throttled_wait);
                        e.fix = Some(format!(
                            "{} is still rate-limiting after {:.0}s of waiting; another integration may be using the same API budget. Try again later",
                            policy.name,
                            throttled_wait.as_secs_f64()
                        ));
                        return Err(e);
                    }
                    // 408: the server gave up waiting for the request; like a gateway
                    // error, worth another try when repeating it is harmless.
                    let retryable_server = matches!(status, 408 | 502..=504)
                        || (status == 500 && policy.retry.retry_500);
                    if retryable_server && self.retry_safe && attempt <= policy.retry.max_retries {
                        let wait = parse_retry_after(&response.headers)
                            .map(|w| w.min(policy.retry.max_single_wait))
                            .unwrap_or_else(|| backoff(&policy.retry, attempt));
                        http.record(policy.name, |s| s.retries += 1);
                        http.observer()
                            .waiting(policy.name, wait, WaitReason::Backoff);
                        std::thread::sleep(wait);
                        continue;
                    }
                    return Err(response.error(svc, &self.method, &shown_url));
                }
            }
        }
    }
}

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 5;

/// Why a redirect was not followed; the message names the target.
#[derive(Debug, thiserror::Error)]
enum RedirectRefused {
    #[error("refused a redirect to {0}: plain http:// is allowed only towards loopback addresses")]
    PlainHttp(String),
    #[error("refused a redirect to {0}: only https:// (or http:// on loopback) is followed")]
    Scheme(String),
    #[error("stopped after {MAX_REDIRECTS} redirects, the last to {0}")]
    TooMany(String),
}

/// Redirects keep to the base-URL rule (https, or http only on loopback) and stop after
/// a few hops: a redirect must not carry a request, and its credentials, off to plain
/// http on the network.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let target = redact::scrub(attempt.url().as_str());
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(RedirectRefused::TooMany(target));
        }
        match BaseUrl::parse(attempt.url().as_str()) {
            Ok(_) => attempt.follow(),
            Err(BaseUrlError::PlainHttp(_)) => attempt.error(RedirectRefused::PlainHttp(target)),
            Err(_) => attempt.error(RedirectRefused::Scheme(target)),
        }
    })
}

fn describe_transport_error(err: &reqwest::Error) -> String {
    use std::error::Error;
    let mut text = if err.is_timeout() {
        "request timed out".to_string()
    } else if err.is_connect() {
        "connection failed".to_string()
    } else if err.is_redirect() {
        "redirect not followed".to_string()
    } else {
        "transport error".to_string()
    };
    let mut source = err.source();
    while let Some(s) = source {
        let msg = s.to_string();
        if !text.contains(&msg) {
            text.push_str(": ");
            text.push_str(&msg);
        }
        source = s.source();
    }
    text
}

/// A fresh jitter fraction in `[0, 1)`.
fn jitter() -> f64 {
    rand::rng().random_range(0.0..1.0)
}

/// The wait before retry `attempt` (1-based) after a transport or server error: the base
/// delay doubled per attempt, plus `jitter` (0..1) of one base delay.
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    backoff_delay(policy, attempt, jitter())
}

fn backoff_delay(policy: &RetryPolicy, attempt: u32, jitter: f64) -> Duration {
    let step = policy
        .base_delay
        .saturating_mul(1 << (attempt.saturating_sub(1)).min(6));
    step + policy.base_delay.mul_f64(jitter.clamp(0.0, 1.0))
}

/// The wait after the `throttled`th 429 (1-based) of one request. `Retry-After`, when
/// sent, is the server's word (capped). Without it: the service's fallback wait doubled
/// per 429 of this request, plus up to a quarter of `jitter` (0..1) so that parallel
/// workers do not come back in step, capped at `max_single_wait`.
/// A `Retry-After` of 0 (or a date already past, from a server whose clock is behind) is
/// waited at least this long, so a service that keeps answering 429 spends the budget
/// instead of being asked again at once, forever.
const MIN_THROTTLE_WAIT: Duration = Duration::from_secs(1);

/// 429s of one request waited out before giving up, whatever the budget says.
const MAX_THROTTLED_ATTEMPTS: u32 = 50;

fn throttle_wait(
    policy: &RetryPolicy,
    retry_after: Option<Duration>,
    throttled: u32,
    jitter: f64,
) -> Duration {
    if let Some(wait) = retry_after {
        return wait.max(MIN_THROTTLE_WAIT).min(policy.max_single_wait);
    }
    let step = policy
        .wait_without_retry_after
        .saturating_mul(1 << throttled.saturating_sub(1).min(16));
    let spread = step.mul_f64(jitter.clamp(0.0, 1.0) / 4.0);
    step.saturating_add(spread).min(policy.max_single_wait)
}

/// `Retry-After` as delta-seconds or an HTTP date.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = raw.parse::<f64>() {
        return (secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let when =
        time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc2822).ok()?;
    let delta = when - time::OffsetDateTime::now_utc();
    Some(Duration::from_secs_f64(delta.as_seconds_f64().max(0.0)))
}

/// A response with a body fully read.
#[derive(Debug, Clone)]
pub struct Response {
    pub service: &'static str,
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub url: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let snippet: String = self.text().chars().take(200).collect();
            let mut err = ApiError::protocol(
                self.service,
                format!(
                    "unexpected response body ({e}); it began: {}",
                    redact::scrub(&snippet)
                ),
            );
            err.status = Some(self.status);
            err.url = redact::url(&self.url);
            err
        })
    }

    /// The body as loose JSON (`Value::Null` for an empty body).
    pub fn value(&self) -> Result<Value, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        self.json()
    }

    /// The error this response represents, classified by status.
    pub fn error(&self, svc: &Service, method: &Method, shown_url: &str) -> ApiError {
        let kind = match self.status {
            401 => ApiErrorKind::Auth,
            403 => ApiErrorKind::Permission,
            404 | 410 => ApiErrorKind::NotFound,
            408 => ApiErrorKind::Timeout,
            429 => ApiErrorKind::RateLimited,
            502..=504 => ApiErrorKind::Network,
            500..=599 => ApiErrorKind::ServerError,
            _ => ApiErrorKind::Rejected,
        };
        let mut body = redact::scrub(&self.text());
        if body.len() > 2000 {
            let mut cut = 2000;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            body.truncate(cut);
        }
        let mut e = ApiError::new(
            svc.name(),
            kind,
            redact::scrub(&(svc.policy.error_message)(self.status, &self.body)),
        );
        e.status = Some(self.status);
        e.method = method.to_string();
        e.url = shown_url.to_string();
        e.body = body;
        e
    }
}

/// Extracts a readable message from the error body shapes the vendors use: JSON with
/// `message`/`Message`/`error`/`errors`/`title`, a JSON string, or plain text.
pub fn default_error_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return format!("HTTP {status} with an empty body");
    }
    if let Ok(value) = serde_json::from_str::<Value>(trimmed)
        && let Some(msg) = message_from_json(&value)
    {
        return msg;
    }
    let mut s: String = trimmed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if s.len() > 500 {
        let mut cut = 500;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

fn message_from_json(value: &Value) -> Option<String> {
    fn text_of(v: &Value) -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().filter_map(text_of).collect();
                (!parts.is_empty()).then(|| parts.join("; "))
            }
            Value::Object(map) => {
                for key in ["message", "Message", "error_description", "detail", "title"] {
                    if let Some(t) = map.get(key).and_then(text_of) {
                        return Some(t);
                    }
                }
                // Field-keyed validation errors: {"field": ["msg"]}.
                let parts: Vec<String> = map
                    .iter()
                    .filter_map(|(k, v)| text_of(v).map(|t| format!("{k}: {t}")))
                    .collect();
                (!parts.is_empty()).then(|| parts.join("; "))
            }
            _ => None,
        }
    }
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(map) => {
            let mut parts = Vec::new();
            for key in ["message", "Message", "error_description", "title"] {
                if let Some(t) = map.get(key).and_then(text_of) {
                    parts.push(t);
                    break;
                }
            }
            if parts.is_empty()
                && let Some(t) = map.get("error").and_then(text_of)
            {
                parts.push(t);
            }
            if let Some(errors) = map.get("errors").and_then(text_of) {
                parts.push(errors);
            }
            if parts.is_empty() {
                text_of(value)
            } else {
                Some(parts.join(": "))
            }
        }
        other => text_of(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_is_refused_except_for_loopback() {
        assert!(BaseUrl::parse("http://127.0.0.1:8080").is_ok());
        assert!(BaseUrl::parse("http://localhost:1").is_ok());
        assert!(BaseUrl::parse("http://[::1]:9").is_ok());
        assert!(matches!(
            BaseUrl::parse("http://acme.halopsa.com"),
            Err(BaseUrlError::PlainHttp(_))
        ));
        assert!(matches!(
            BaseUrl::parse("ftp://x"),
            Err(BaseUrlError::Scheme(_))
        ));
        assert!(BaseUrl::parse("acme.halopsa.com").is_err());
        assert_eq!(
            BaseUrl::parse("https://a.example/x/").unwrap().as_str(),
            "https://a.example/x"
        );
    }

    #[test]
    fn join_path_keeps_one_slash() {
        let b = BaseUrl::parse("https://api-na.myconnectwise.net").unwrap();
        assert_eq!(
            b.join_path("v2025_1/apis/3.0/").as_str(),
            "https://api-na.myconnectwise.net/v2025_1/apis/3.0"
        );
    }

    #[test]
    fn error_messages_from_every_vendor_shape() {
        assert_eq!(default_error_message(400, br#"{"ClassName":"System.Exception","Message":"An Outcome must be entered for this Action"}"#), "An Outcome must be entered for this Action");
        assert_eq!(
            default_error_message(400, b"Category is mandatory\nImpact is mandatory\n"),
            "Category is mandatory; Impact is mandatory"
        );
        assert_eq!(
            default_error_message(
                500,
                br#"{"errors":["Zone information could not be determined"]}"#
            ),
            "Zone information could not be determined"
        );
        assert_eq!(
            default_error_message(401, br#"{"error":"invalid_client"}"#),
            "invalid_client"
        );
        assert_eq!(
            default_error_message(400, br#"{"code":"InvalidObject","message":"ticket object is invalid","errors":[{"code":"NotFound","message":"Service Status 17 not found for Service Board 21","field":"status/id"}]}"#),
            "ticket object is invalid: Service Status 17 not found for Service Board 21"
        );
        assert_eq!(
            default_error_message(
                422,
                br#"{"success":false,"message":["Subject can't be blank"]}"#
            ),
            "Subject can't be blank"
        );
        assert_eq!(
            default_error_message(
                400,
                br#"{"[0].client_id":["The value '1.5' is not valid."]}"#
            ),
            "[0].client_id: The value '1.5' is not valid."
        );
        assert_eq!(
            default_error_message(404, b""),
            "HTTP 404 with an empty body"
        );
        assert_eq!(
            default_error_message(400, br#""Please select a valid Client/Site/User""#),
            "Please select a valid Client/Site/User"
        );
    }

    /// A loopback server that answers each path with a fixed redirect (or 200 on
    /// `/ok`), and counts the requests it saw per path.
    fn redirecting_server() -> (String, Arc<Mutex<Vec<String>>>) {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (log, home) = (seen.clone(), base.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                let _ = reader.read_line(&mut first);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = first.split_whitespace().nth(1).unwrap_or("").to_string();
                log.lock().unwrap().push(path.clone());
                let location = match path.as_str() {
                    "/to-plain" => Some("http://psa.example.com/api/tickets".to_string()),
                    "/to-ftp" => Some("ftp://psa.example.com/x".to_string()),
                    "/to-loopback" => Some(format!("{home}/ok")),
                    "/loop" => Some("/loop".to_string()),
                    _ => None,
                };
                let reply = match location {
                    Some(to) => format!(
                        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    ),
                    None => "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}".to_string(),
                };
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        (base, seen)
    }

    fn test_service(base: &str) -> Service {
        let http = Http::new(HttpOptions::default()).unwrap();
        http.service(
            ServicePolicy::new("Test", crate::http::limit::RateLimit::Unlimited),
            BaseUrl::parse(base).unwrap(),
        )
    }

    #[test]
    fn redirects_to_plain_http_off_loopback_are_refused_and_named() {
        let (base, seen) = redirecting_server();
        let err = test_service(&base).get("/to-plain").send().unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("http://psa.example.com/api/tickets") && text.contains("loopback"),
            "{text}"
        );
        assert!(
            err.fix.as_deref().unwrap_or("").contains("https://"),
            "{err:?}"
        );
        assert_eq!(err.exit(), crate::error::Exit::Config, "a base URL to fix");
        // Refused once, not retried: the answer would be the same.
        assert_eq!(*seen.lock().unwrap(), vec!["/to-plain".to_string()]);

        let err = test_service(&base).get("/to-ftp").send().unwrap_err();
        assert!(err.to_string().contains("ftp://psa.example.com/x"), "{err}");
    }

    #[test]
    fn redirects_on_loopback_are_followed() {
        let (base, seen) = redirecting_server();
        let body: Value = test_service(&base).get("/to-loopback").send_json().unwrap();
        assert_eq!(body["ok"], true);
        assert_eq!(
            *seen.lock().unwrap(),
            vec!["/to-loopback".to_string(), "/ok".to_string()]
        );
    }

    #[test]
    fn a_redirect_loop_stops_after_a_few_hops() {
        let (base, seen) = redirecting_server();
        let err = test_service(&base).get("/loop").send().unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("{MAX_REDIRECTS} redirects")),
            "{err}"
        );
        assert_eq!(seen.lock().unwrap().len(), MAX_REDIRECTS + 1);
    }

    #[test]
    fn a_429_without_retry_after_waits_longer_each_time_with_jitter_up_to_the_cap() {
        let huntress = crate::source::huntress::HuntressClient::policy().retry;
        let secs = |n, j| throttle_wait(&huntress, None, n, j).as_secs_f64();
        // Huntress's 10 s base (Alga's fallback), doubling: 10, 20, 40, 80, then the cap.
        assert_eq!(secs(1, 0.0), 10.0);
        assert_eq!(secs(2, 0.0), 20.0);
        assert_eq!(secs(3, 0.0), 40.0);
        assert_eq!(secs(4, 0.0), 80.0);
        assert_eq!(secs(5, 0.0), 120.0, "capped at max_single_wait");
        assert_eq!(secs(30, 0.99), 120.0, "no overflow, still capped");
        // Jitter adds up to a quarter, so two workers hit at once come back apart.
        assert_eq!(secs(1, 0.5), 11.25);
        assert!(secs(1, 0.999) < 12.5);
        assert!(secs(2, 0.2) != secs(2, 0.8));
        // HaloPSA keeps its own 30 s base.
        let halo = RetryPolicy {
            wait_without_retry_after: Duration::from_secs(30),
            ..RetryPolicy::default()
        };
        assert_eq!(throttle_wait(&halo, None, 1, 0.0), Duration::from_secs(30));
        assert_eq!(throttle_wait(&halo, None, 2, 0.0), Duration::from_secs(60));
        // Retry-After is the server's word: no growth, no jitter, only the cap.
        let told = Some(Duration::from_secs(7));
        assert_eq!(
            throttle_wait(&huntress, told, 3, 0.9),
            Duration::from_secs(7)
        );
        assert_eq!(
            throttle_wait(&huntress, Some(Duration::from_secs(900)), 1, 0.0),
            huntress.max_single_wait
        );
    }

    type Answer = Box<dyn Fn(usize) -> crate::sandbox::HttpResponse + Send + Sync>;

    /// A service that answers its n-th request (from 1) with `answer(n)`, counting them.
    struct Scripted {
        answer: Answer,
        seen: Mutex<usize>,
        faults: crate::sandbox::Faults,
    }

    impl crate::sandbox::Emulator for Scripted {
        fn name(&self) -> &'static str {
            "scripted"
        }
        fn handle(&self, _req: &crate::sandbox::HttpRequest) -> crate::sandbox::HttpResponse {
            let mut seen = self.seen.lock().unwrap();
            *seen += 1;
            (self.answer)(*seen)
        }
        fn faults(&self) -> &'static [crate::sandbox::FaultInfo] {
            &[]
        }
        fn fault_set(&self) -> &crate::sandbox::Faults {
            &self.faults
        }
    }

    /// Starts a [`Scripted`] service; the server stops when the returned handle drops.
    fn scripted(
        answer: impl Fn(usize) -> crate::sandbox::HttpResponse + Send + Sync + 'static,
    ) -> (Arc<Scripted>, crate::sandbox::RunningServer) {
        let emulator = Arc::new(Scripted {
            answer: Box::new(answer),
            seen: Mutex::new(0),
            faults: Default::default(),
        });
        let server = crate::sandbox::RunningServer::start(
            emulator.clone(),
            crate::sandbox::ServerOptions::default(),
        )
        .unwrap();
        (emulator, server)
    }

    #[test]
    fn a_408_is_retried_for_reads_and_never_for_creates() {
        // Two 408s, then 200.
        let (emulator, server) = scripted(|n| {
            let (status, body) = if n <= 2 {
                (408, serde_json::json!({"error": "timeout"}))
            } else {
                (200, serde_json::json!({"ok": true}))
            };
            crate::sandbox::HttpResponse::json(status, &body)
        });
        let http = Http::new(HttpOptions::default()).unwrap();
        let mut policy = ServicePolicy::new("Slow", RateLimit::Unlimited);
        policy.retry.base_delay = Duration::from_millis(5);
        let svc = http.service(policy, BaseUrl::parse(&server.base_url()).unwrap());
        let ok = svc.get("/thing").send().unwrap();
        assert_eq!(ok.status, 200, "two 408s, then the answer");
        assert_eq!(*emulator.seen.lock().unwrap(), 3);

        *emulator.seen.lock().unwrap() = 0;
        let err = svc
            .post("/things")
            .json(&serde_json::json!({"a": 1}))
            .create()
            .send()
            .unwrap_err();
        assert_eq!(err.status, Some(408));
        assert_eq!(*emulator.seen.lock().unwrap(), 1, "a create is sent once");
    }

    /// Sends one GET to a service that always answers 429; returns the error and how many
    /// requests reached it.
    fn throttled_forever(
        retry_after: Option<&'static str>,
        policy: ServicePolicy,
    ) -> (ApiError, usize) {
        let (emulator, server) = scripted(move |_| {
            let busy =
                crate::sandbox::HttpResponse::json(429, &serde_json::json!({"error": "slow down"}));
            match retry_after {
                Some(secs) => busy.with_header("Retry-After", secs),
                None => busy,
            }
        });
        let http = Http::new(HttpOptions::default()).unwrap();
        let svc = http.service(policy, BaseUrl::parse(&server.base_url()).unwrap());
        let err = svc.get("/thing").send().unwrap_err();
        let seen = *emulator.seen.lock().unwrap();
        (err, seen)
    }

    #[test]
    fn retry_after_zero_spends_the_budget_instead_of_spinning() {
        let mut policy = ServicePolicy::new("Busy", RateLimit::Unlimited);
        policy.retry.rate_limit_budget = Duration::from_secs(2);
        let (err, seen) = throttled_forever(Some("0"), policy);
        assert_eq!(err.kind, ApiErrorKind::RateLimited, "{err}");
        assert_eq!(err.waited, Some(Duration::from_secs(2)));
        assert_eq!(seen, 3, "two 1 s waits fill a 2 s budget: three requests");
    }

    #[test]
    fn our_backoff_shortens_its_last_step_to_spend_the_whole_budget() {
        let mut policy = ServicePolicy::new("Busy", RateLimit::Unlimited);
        policy.retry.wait_without_retry_after = Duration::from_secs(1);
        policy.retry.rate_limit_budget = Duration::from_millis(2500);
        let (err, seen) = throttled_forever(None, policy);
        assert_eq!(err.kind, ApiErrorKind::RateLimited, "{err}");
        let waited = err.waited.expect("waited");
        // 1 s (+ jitter), then the rest of the 2.5 s budget rather than giving up early.
        assert_eq!(waited, Duration::from_millis(2500), "{waited:?}");
        assert_eq!(seen, 3);
    }

    #[test]
    fn a_retry_after_of_zero_is_waited_at_least_a_second() {
        let p = RetryPolicy::default();
        assert_eq!(
            throttle_wait(&p, Some(Duration::ZERO), 1, 0.0),
            MIN_THROTTLE_WAIT,
            "a Retry-After of 0 is waited at least a second"
        );
    }

    #[test]
    fn server_error_backoff_doubles_with_up_to_one_base_of_jitter() {
        let p = RetryPolicy::default();
        assert_eq!(backoff_delay(&p, 1, 0.0), Duration::from_millis(500));
        assert_eq!(backoff_delay(&p, 2, 0.0), Duration::from_millis(1000));
        assert_eq!(backoff_delay(&p, 3, 0.5), Duration::from_millis(2250));
        assert!(backoff_delay(&p, 1, 0.999) < Duration::from_millis(1000));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO));
    }
}
