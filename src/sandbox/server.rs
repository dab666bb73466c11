//! The small HTTP server every emulator runs on: loopback bind, a worker pool, a request
//! log, fault switches, optional injected latency, and a few `/_sandbox/...` control
//! endpoints so a sandbox started by `psa-link sandbox serve` can be inspected and steered
//! from outside.

use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// An incoming request, fully read.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: String,
    /// Percent-decoded path, as sent (case preserved).
    pub path: String,
    /// Decoded query pairs in order.
    pub query: Vec<(String, String)>,
    pub raw_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// `http://127.0.0.1:PORT` of this server, for absolute links (next-page URLs).
    pub origin: String,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Query parameter by exact name.
    pub fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Query parameter by case-insensitive name (ASP.NET binds query keys that way).
    pub fn query_ci(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Path segments, without empty ones.
    pub fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    pub fn json<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_slice(&self.body).map_err(|e| e.to_string())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    /// Form fields from an `application/x-www-form-urlencoded` body.
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
}

/// A response to send.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn json(status: u16, body: &Value) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: serde_json::to_vec(body).expect("json serialises"),
        }
    }

    pub fn serialize<T: Serialize>(status: u16, body: &T) -> HttpResponse {
        HttpResponse::json(
            status,
            &serde_json::to_value(body).expect("json serialises"),
        )
    }

    pub fn text(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn empty(status: u16) -> HttpResponse {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> HttpResponse {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

/// A fault switch an emulator offers (SPEC §8 `--fault`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FaultInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// A service emulator.
pub trait Emulator: Send + Sync + 'static {
    /// Service name ("huntress", "halopsa", ...).
    fn name(&self) -> &'static str;
    fn handle(&self, req: &HttpRequest) -> HttpResponse;
    /// The fault switches this emulator offers.
    fn faults(&self) -> &'static [FaultInfo];
    /// The switches' current state.
    fn fault_set(&self) -> &Faults;
    /// Emulator-specific `/_sandbox/...` endpoints (e.g. changing an incident's severity,
    /// which the vendor API itself cannot do). `None` for unknown paths.
    fn control(&self, _req: &HttpRequest) -> Option<HttpResponse> {
        None
    }
}

/// Fault switches, by name.
#[derive(Debug, Default)]
pub struct Faults {
    on: Mutex<BTreeSet<String>>,
}

impl Faults {
    pub fn is_on(&self, name: &str) -> bool {
        self.on
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(name)
    }

    pub fn set(&self, name: &str, on: bool) {
        let mut set = self.on.lock().unwrap_or_else(|e| e.into_inner());
        if on {
            set.insert(name.to_string());
        } else {
            set.remove(name);
        }
    }

    pub fn active(&self) -> Vec<String> {
        self.on
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }
}

/// Switches a fault on an emulator, checking the name against the ones it offers.
pub fn set_fault(emulator: &dyn Emulator, name: &str, on: bool) -> Result<(), String> {
    if emulator.faults().iter().any(|f| f.name == name) {
        emulator.fault_set().set(name, on);
        Ok(())
    } else {
        let names: Vec<&str> = emulator.faults().iter().map(|f| f.name).collect();
        Err(format!(
            "the {} emulator has no fault '{name}' (available: {})",
            emulator.name(),
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ))
    }
}

/// One request as the server saw it.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    /// Milliseconds since the server started.
    pub at_ms: u64,
}

#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// 0 picks a free port.
    pub port: u16,
    /// Added before every response (benchmarks).
    pub latency: Duration,
    pub workers: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            port: 0,
            latency: Duration::ZERO,
            workers: 16,
        }
    }
}

struct Shared {
    server: tiny_http::Server,
    emulator: Arc<dyn Emulator>,
    log: Mutex<Vec<LoggedRequest>>,
    latency_ms: AtomicU64,
    stop: AtomicBool,
    started: Instant,
    origin: String,
}

/// An emulator listening on loopback. Stops when dropped.
pub struct RunningServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    workers: Vec<JoinHandle<()>>,
}

impl RunningServer {
    pub fn start(
        emulator: Arc<dyn Emulator>,
        options: ServerOptions,
    ) -> std::io::Result<RunningServer> {
        let server = tiny_http::Server::http(("127.0.0.1", options.port)).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::AddrInUse,
                format!("cannot listen on 127.0.0.1:{}: {e}", options.port),
            )
        })?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| std::io::Error::other("server has no IP address"))?;
        let shared = Arc::new(Shared {
            server,
            emulator,
            log: Mutex::new(Vec::new()),
            latency_ms: AtomicU64::new(options.latency.as_millis() as u64),
            stop: AtomicBool::new(false),
            started: Instant::now(),
            origin: format!("http://{addr}"),
        });
        let workers = (0..options.workers.max(1))
            .map(|i| {
                let shared = shared.clone();
                std::thread::Builder::new()
                    .name(format!("sandbox-{}-{i}", shared.emulator.name()))
                    .spawn(move || worker(shared))
                    .expect("spawn sandbox worker")
            })
            .collect();
        Ok(RunningServer {
            shared,
            addr,
            workers,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, what `--base-url` takes.
    pub fn base_url(&self) -> String {
        self.shared.origin.clone()
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Requests whose method matches and whose path contains `path_part`
    /// (case-insensitive).
    pub fn count(&self, method: &str, path_part: &str) -> usize {
        let part = path_part.to_ascii_lowercase();
        self.requests()
            .iter()
            .filter(|r| {
                r.method.eq_ignore_ascii_case(method) && r.path.to_ascii_lowercase().contains(&part)
            })
            .count()
    }

    pub fn clear_log(&self) {
        self.shared
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn set_latency(&self, latency: Duration) {
        self.shared
            .latency_ms
            .store(latency.as_millis() as u64, Ordering::Relaxed);
    }

    pub fn set_fault(&self, name: &str, on: bool) -> Result<(), String> {
        set_fault(self.shared.emulator.as_ref(), name, on)
    }

    /// Blocks until the process is interrupted (for `sandbox serve`).
    pub fn wait(&self) {
        while !self.shared.stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        for _ in 0..self.workers.len() {
            self.shared.server.unblock();
        }
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

fn worker(shared: Arc<Shared>) {
    while !shared.stop.load(Ordering::Relaxed) {
        let mut request = match shared.server.recv_timeout(Duration::from_millis(250)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(_) => break,
        };
        let latency = shared.latency_ms.load(Ordering::Relaxed);
        if latency > 0 {
            std::thread::sleep(Duration::from_millis(latency));
        }
        let req = read_request(&mut request, &shared.origin);
        let resp = if req.path.starts_with("/_sandbox/") {
            control(&shared, &req)
        } else {
            // A panicking handler must not take the worker down with it.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                shared.emulator.handle(&req)
            }))
            .unwrap_or_else(|_| HttpResponse::text(500, "emulator panicked"))
        };
        if !req.path.starts_with("/_sandbox/") {
            shared
                .log
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(LoggedRequest {
                    method: req.method.clone(),
                    path: req.path.clone(),
                    query: req.raw_query.clone(),
                    status: resp.status,
                    at_ms: shared.started.elapsed().as_millis() as u64,
                });
        }
        let mut out = tiny_http::Response::from_data(resp.body).with_status_code(resp.status);
        for (k, v) in resp.headers {
            if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                out.add_header(h);
            }
        }
        let _ = request.respond(out);
    }
}

fn read_request(request: &mut tiny_http::Request, origin: &str) -> HttpRequest {
    let mut body = Vec::new();
    let _ = request.as_reader().read_to_end(&mut body);
    let raw = request.url().to_string();
    let (raw_path, raw_query) = match raw.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (raw.clone(), String::new()),
    };
    let path = percent_encoding::percent_decode_str(&raw_path)
        .decode_utf8_lossy()
        .into_owned();
    let query = url::form_urlencoded::parse(raw_query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    HttpRequest {
        method: request.method().as_str().to_ascii_uppercase(),
        path,
        query,
        raw_query,
        headers: request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_string(),
                    h.value.as_str().to_string(),
                )
            })
            .collect(),
        body,
        origin: origin.to_string(),
    }
}

/// `GET /_sandbox/requests`, `GET /_sandbox/faults`, `POST|DELETE /_sandbox/faults/<name>`,
/// `DELETE /_sandbox/requests`.
fn control(shared: &Shared, req: &HttpRequest) -> HttpResponse {
    let segs = req.segments();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["_sandbox", "requests"]) => {
            let log = shared.log.lock().unwrap_or_else(|e| e.into_inner());
            HttpResponse::serialize(200, &*log)
        }
        ("DELETE", ["_sandbox", "requests"]) => {
            shared.log.lock().unwrap_or_else(|e| e.into_inner()).clear();
            HttpResponse::empty(204)
        }
        ("GET", ["_sandbox", "faults"]) => HttpResponse::json(
            200,
            &json!({
                "available": shared.emulator.faults(),
                "active": shared.emulator.fault_set().active(),
            }),
        ),
        (m @ ("POST" | "DELETE"), ["_sandbox", "faults", name]) => {
            match set_fault(shared.emulator.as_ref(), name, m == "POST") {
                Ok(()) => HttpResponse::json(
                    200,
                    &json!({"active": shared.emulator.fault_set().active()}),
                ),
                Err(e) => HttpResponse::json(404, &json!({"error": e})),
            }
        }
        _ => shared.emulator.control(req).unwrap_or_else(|| {
            HttpResponse::json(404, &json!({"error": "unknown sandbox control endpoint"}))
        }),
    }
}

/// A vendor-side sliding-window rate limit for emulators: `check()` answers how long the
/// caller must wait when the window is full.
#[derive(Debug)]
pub struct RateWindow {
    max: usize,
    window: Duration,
    hits: Mutex<VecDeque<Instant>>,
}

impl RateWindow {
    pub fn new(max: usize, window: Duration) -> RateWindow {
        RateWindow {
            max,
            window,
            hits: Mutex::new(VecDeque::new()),
        }
    }

    /// Records a request; `Err(wait)` when it is over the limit (not recorded then).
    pub fn check(&self) -> Result<(), Duration> {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        while hits
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            hits.pop_front();
        }
        if hits.len() >= self.max {
            let oldest = *hits.front().expect("non-empty");
            return Err(self.window.saturating_sub(now.duration_since(oldest)));
        }
        hits.push_back(now);
        Ok(())
    }

    pub fn set_limit(&mut self, max: usize, window: Duration) {
        self.max = max;
        self.window = window;
    }
}

/// Current time as RFC 3339 UTC with whole seconds (`2026-11-22T12:00:00Z`).
pub fn now_rfc3339() -> String {
    rfc3339(time::OffsetDateTime::now_utc())
}

pub fn rfc3339(t: time::OffsetDateTime) -> String {
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo {
        faults: Faults,
    }

    impl Emulator for Echo {
        fn name(&self) -> &'static str {
            "echo"
        }
        fn handle(&self, req: &HttpRequest) -> HttpResponse {
            if self.faults.is_on("broken") {
                return HttpResponse::text(500, "broken");
            }
            HttpResponse::json(
                200,
                &json!({"method": req.method, "path": req.path, "q": req.query("a"), "auth": req.header("AUTHORIZATION")}),
            )
        }
        fn faults(&self) -> &'static [FaultInfo] {
            &[FaultInfo {
                name: "broken",
                description: "answer 500",
            }]
        }
        fn fault_set(&self) -> &Faults {
            &self.faults
        }
    }

    #[test]
    fn serves_logs_and_switches_faults() {
        let server = RunningServer::start(
            Arc::new(Echo {
                faults: Faults::default(),
            }),
            ServerOptions::default(),
        )
        .unwrap();
        let client = reqwest::blocking::Client::new();
        let v: Value = client
            .get(format!("{}/x/Y%20Z?a=1%202", server.base_url()))
            .header("authorization", "t")
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(v["path"], "/x/Y Z");
        assert_eq!(v["q"], "1 2");
        assert_eq!(v["auth"], "t");
        assert_eq!(server.count("GET", "/x/"), 1);

        let r = client
            .post(format!("{}/_sandbox/faults/broken", server.base_url()))
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(
            client
                .get(format!("{}/x", server.base_url()))
                .send()
                .unwrap()
                .status(),
            500
        );
        assert!(
            server
                .set_fault("nope", true)
                .unwrap_err()
                .contains("available: broken")
        );
        let log: Vec<Value> = client
            .get(format!("{}/_sandbox/requests", server.base_url()))
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(log.len(), 2);
    }

    #[test]
    fn rate_window_refuses_past_the_limit() {
        let w = RateWindow::new(2, Duration::from_secs(60));
        assert!(w.check().is_ok());
        assert!(w.check().is_ok());
        let wait = w.check().unwrap_err();
        assert!(wait > Duration::from_secs(50));
    }
}
