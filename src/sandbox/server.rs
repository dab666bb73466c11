//! The small HTTP server every emulator runs on: loopback bind, a thread per connection, a request
//! log, fault switches, optional injected latency, and a few `/_sandbox/...` control
//! endpoints so a sandbox started by `psa-link sandbox serve` can be inspected and steered
//! from outside.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
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

    /// No answer at all: the server closes the connection once the handler returns (a
    /// proxy or server dying mid-request). Logged with status 0.
    pub fn hang_up() -> HttpResponse {
        HttpResponse::empty(0)
    }

    pub fn is_hang_up(&self) -> bool {
        self.status == 0
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
    /// Not used any more (each connection has its own thread); kept so callers compile.
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
    emulator: Arc<dyn Emulator>,
    log: Mutex<Vec<LoggedRequest>>,
    latency_ms: AtomicU64,
    stop: AtomicBool,
    started: Instant,
    origin: String,
}

/// An emulator listening on loopback. Stops when dropped.
///
/// Every connection gets its own thread, so idle keep-alive connections (reqwest pools
/// them) can never hold up a new one. (tiny_http's task pool could: a burst of new
/// connections left some queued behind threads parked on idle keep-alive connections
/// until the client timed out.)
pub struct RunningServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    acceptor: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// `options.workers` is not used: connections are served by one thread each.
    pub fn start(
        emulator: Arc<dyn Emulator>,
        options: ServerOptions,
    ) -> std::io::Result<RunningServer> {
        let listener = TcpListener::bind(("127.0.0.1", options.port)).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot listen on 127.0.0.1:{}: {e}", options.port),
            )
        })?;
        let addr = listener.local_addr()?;
        // Non-blocking so the accept loop notices a stop request.
        listener.set_nonblocking(true)?;
        let shared = Arc::new(Shared {
            emulator,
            log: Mutex::new(Vec::new()),
            latency_ms: AtomicU64::new(options.latency.as_millis() as u64),
            stop: AtomicBool::new(false),
            started: Instant::now(),
            origin: format!("http://{addr}"),
        });
        let for_acceptor = shared.clone();
        let acceptor = std::thread::Builder::new()
            .name(format!("sandbox-{}-accept", shared.emulator.name()))
            .spawn(move || accept_loop(listener, for_acceptor))?;
        Ok(RunningServer {
            shared,
            addr,
            acceptor: Some(acceptor),
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
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut accepted: u64 = 0;
    while !shared.stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                accepted += 1;
                let shared = shared.clone();
                let _ = std::thread::Builder::new()
                    .name(format!("sandbox-{}-{accepted}", shared.emulator.name()))
                    .spawn(move || serve_connection(stream, &shared));
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Serves HTTP/1.1 requests on one connection until the client closes it, asks to
/// close, or the server stops.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nonblocking(false);
    // Short read timeouts only so an idle connection notices the server stopping.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(250)));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    let stop = &shared.stop;
    loop {
        let Some(head) = wire::read_head(&mut reader, stop) else {
            return;
        };
        if head.expects_continue() {
            let _ = writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        let Some(body) = wire::read_body(&mut reader, &head, stop) else {
            return;
        };
        let latency = shared.latency_ms.load(Ordering::Relaxed);
        if latency > 0 {
            std::thread::sleep(Duration::from_millis(latency));
        }
        let req = build_request(
            head.method.clone(),
            &head.target,
            head.headers.clone(),
            body,
            &shared.origin,
        );
        let resp = dispatch(shared, &req);
        if resp.is_hang_up() {
            return;
        }
        let close = head.wants_close();
        if wire::write_response(&mut writer, &resp, req.method == "HEAD", close).is_err() || close {
            return;
        }
    }
}

/// Runs the emulator (or a control endpoint) and logs the exchange.
fn dispatch(shared: &Shared, req: &HttpRequest) -> HttpResponse {
    if req.path.starts_with("/_sandbox/") {
        return control(shared, req);
    }
    // A panicking handler must not take the connection's thread down with it.
    let resp =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| shared.emulator.handle(req)))
            .unwrap_or_else(|_| HttpResponse::text(500, "emulator panicked"));
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
    resp
}

fn build_request(
    method: String,
    target: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    origin: &str,
) -> HttpRequest {
    let (raw_path, raw_query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.to_string(), String::new()),
    };
    let path = percent_encoding::percent_decode_str(&raw_path)
        .decode_utf8_lossy()
        .into_owned();
    let query = url::form_urlencoded::parse(raw_query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    HttpRequest {
        method: method.to_ascii_uppercase(),
        path,
        query,
        raw_query,
        headers,
        body,
        origin: origin.to_string(),
    }
}

/// The HTTP/1.1 wire format, as much of it as API clients use: request line, headers,
/// `Content-Length` or chunked bodies, `Expect: 100-continue`, keep-alive.
mod wire {
    use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
    use std::net::TcpStream;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::HttpResponse;

    const MAX_LINE: usize = 64 * 1024;
    const MAX_HEADERS: usize = 200;
    const MAX_BODY: usize = 64 * 1024 * 1024;

    pub struct Head {
        pub method: String,
        pub target: String,
        pub version: String,
        pub headers: Vec<(String, String)>,
    }

    impl Head {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }

        pub fn expects_continue(&self) -> bool {
            self.header("expect")
                .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        }

        pub fn wants_close(&self) -> bool {
            let connection = self.header("connection").map(str::to_ascii_lowercase);
            match connection.as_deref() {
                Some(c) if c.contains("close") => true,
                Some(c) if c.contains("keep-alive") => false,
                _ => self.version == "HTTP/1.0",
            }
        }
    }

    fn timed_out(e: &std::io::Error) -> bool {
        matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
    }

    /// One CRLF-terminated line (without the line end); None at EOF, on errors, or when
    /// the server stops while waiting.
    fn read_line(reader: &mut BufReader<TcpStream>, stop: &AtomicBool) -> Option<String> {
        let mut line = Vec::new();
        loop {
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => return None,
                Ok(_) if line.ends_with(b"\n") => break,
                Ok(_) => {}
                Err(e) if timed_out(&e) => {
                    if stop.load(Ordering::Relaxed) {
                        return None;
                    }
                }
                Err(_) => return None,
            }
            if line.len() > MAX_LINE {
                return None;
            }
        }
        let text = String::from_utf8(line).ok()?;
        Some(text.trim_end_matches(['\r', '\n']).to_string())
    }

    pub fn read_head(reader: &mut BufReader<TcpStream>, stop: &AtomicBool) -> Option<Head> {
        // Tolerate blank lines between requests.
        let request_line = loop {
            let line = read_line(reader, stop)?;
            if !line.is_empty() {
                break line;
            }
        };
        let mut parts = request_line.split_whitespace();
        let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
        let mut headers = Vec::new();
        loop {
            let line = read_line(reader, stop)?;
            if line.is_empty() {
                break;
            }
            let (k, v) = line.split_once(':')?;
            headers.push((k.trim().to_string(), v.trim().to_string()));
            if headers.len() > MAX_HEADERS {
                return None;
            }
        }
        Some(Head {
            method: method.to_string(),
            target: target.to_string(),
            version: version.to_string(),
            headers,
        })
    }

    fn read_exact(
        reader: &mut BufReader<TcpStream>,
        n: usize,
        stop: &AtomicBool,
    ) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; n];
        let mut filled = 0;
        while filled < n {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => return None,
                Ok(k) => filled += k,
                Err(e) if timed_out(&e) => {
                    if stop.load(Ordering::Relaxed) {
                        return None;
                    }
                }
                Err(_) => return None,
            }
        }
        Some(buf)
    }

    pub fn read_body(
        reader: &mut BufReader<TcpStream>,
        head: &Head,
        stop: &AtomicBool,
    ) -> Option<Vec<u8>> {
        let chunked = head
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        if !chunked {
            let length: usize = match head.header("content-length") {
                Some(v) => v.trim().parse().ok()?,
                None => 0,
            };
            if length > MAX_BODY {
                return None;
            }
            return read_exact(reader, length, stop);
        }
        let mut body = Vec::new();
        loop {
            let size_line = read_line(reader, stop)?;
            let size_hex = size_line.split(';').next()?.trim();
            let size = usize::from_str_radix(size_hex, 16).ok()?;
            if size == 0 {
                // Trailers, up to the blank line.
                while !read_line(reader, stop)?.is_empty() {}
                return Some(body);
            }
            if body.len() + size > MAX_BODY {
                return None;
            }
            body.extend(read_exact(reader, size, stop)?);
            read_line(reader, stop)?;
        }
    }

    fn reason(status: u16) -> &'static str {
        match status {
            200 => "OK",
            201 => "Created",
            204 => "No Content",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            409 => "Conflict",
            415 => "Unsupported Media Type",
            422 => "Unprocessable Entity",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "Status",
        }
    }

    pub fn write_response(
        writer: &mut TcpStream,
        resp: &HttpResponse,
        head_only: bool,
        close: bool,
    ) -> std::io::Result<()> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
        for (k, v) in &resp.headers {
            let managed = ["content-length", "connection", "transfer-encoding"]
                .iter()
                .any(|m| k.eq_ignore_ascii_case(m));
            if !managed && !k.contains(['\r', '\n']) && !v.contains(['\r', '\n']) {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
        }
        out.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
        out.push_str(if close {
            "Connection: close\r\n\r\n"
        } else {
            "Connection: keep-alive\r\n\r\n"
        });
        let mut bytes = out.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&resp.body);
        }
        writer.write_all(&bytes)?;
        writer.flush()
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
            if req.path == "/hang-up" {
                return HttpResponse::hang_up();
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

    fn echo_server() -> RunningServer {
        RunningServer::start(
            Arc::new(Echo {
                faults: Faults::default(),
            }),
            ServerOptions::default(),
        )
        .unwrap()
    }

    /// A burst of new connections from a pooling client is served at once; with
    /// tiny_http's task pool some of them waited until the client gave up.
    #[test]
    fn a_burst_of_new_connections_never_stalls() {
        for _ in 0..15 {
            let server = echo_server();
            let client = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(3))
                .build()
                .unwrap();
            let base = server.base_url();
            client.get(format!("{base}/warm")).send().unwrap();
            std::thread::scope(|s| {
                for t in 0..6 {
                    let (client, base) = (&client, &base);
                    s.spawn(move || {
                        for i in 0..3 {
                            let started = Instant::now();
                            let r = client.get(format!("{base}/p{t}-{i}")).send();
                            assert_eq!(r.unwrap().status(), 200);
                            assert!(started.elapsed() < Duration::from_secs(1));
                        }
                    });
                }
            });
            assert_eq!(server.count("GET", "/p"), 18);
        }
    }

    #[test]
    fn keep_alive_chunked_bodies_and_head_on_one_connection() {
        use std::io::{BufRead, Read};
        let server = echo_server();
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .write_all(
                b"POST /x?a=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHEAD /y HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
            )
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert_eq!(status, "HTTP/1.1 200 OK\r\n");
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["method"], "POST");
        assert_eq!(v["q"], "1");
        // The HEAD answer has headers only, then the server closes the connection.
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert!(rest.starts_with("HTTP/1.1 200 OK\r\n"), "{rest}");
        assert!(rest.ends_with("Connection: close\r\n\r\n"), "{rest}");
    }

    #[test]
    fn a_hang_up_closes_the_connection_without_an_answer() {
        use std::io::Read;
        let server = echo_server();
        let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(b"POST /hang-up HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
            .unwrap();
        let mut answer = Vec::new();
        // Closed by the server: end of stream (or a reset), with not one byte of answer.
        let _ = stream.read_to_end(&mut answer);
        assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
        // The request was handled (and logged) before the hang-up.
        assert_eq!(server.count("POST", "/hang-up"), 1);
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
