//! Output discipline: data on stdout, status and progress on stderr; JSON for scripts,
//! tables and colour for people; colour off with NO_COLOR / --no-color / non-terminals;
//! progress bars only on a terminal; a closed stdout pipe ends the run quietly.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::http::{Exchange, Observer, WaitReason, redact};

/// Raised when stdout is closed under us (`psa-link map list | head`).
#[derive(Debug, thiserror::Error)]
#[error("stdout closed")]
pub struct BrokenPipe;

/// A person declined a confirmation or closed a picker: the command stops having changed
/// nothing, and exits 0 (they chose not to; scripts never see prompts).
#[derive(Debug, thiserror::Error)]
#[error("cancelled: nothing changed")]
pub struct Cancelled;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Dim,
    Plain,
}

#[derive(Debug, Clone)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    color_stdout: bool,
    color_stderr: bool,
    stderr_tty: bool,
}

impl Output {
    pub fn new(json: bool, quiet: bool, no_color: bool, verbose: u8) -> Output {
        let no_color = no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stderr_tty = std::io::stderr().is_terminal();
        Output {
            json,
            quiet,
            verbose,
            color_stdout: !no_color && std::io::stdout().is_terminal(),
            color_stderr: !no_color && stderr_tty,
            stderr_tty,
        }
    }

    /// A plain, colourless output for in-process use (tests, the demo's inner steps).
    pub fn plain() -> Output {
        Output {
            json: false,
            quiet: false,
            verbose: 0,
            color_stdout: false,
            color_stderr: false,
            stderr_tty: false,
        }
    }

    pub fn stderr_is_terminal(&self) -> bool {
        self.stderr_tty
    }

    /// A status line on stderr (suppressed by --quiet).
    pub fn status(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", redact::scrub(msg.as_ref()));
        }
    }

    /// A success line on stderr, with a green check.
    pub fn success(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!(
                "{} {}",
                self.paint_err("✔", Tone::Good),
                redact::scrub(msg.as_ref())
            );
        }
    }

    /// A warning on stderr (shown even with --quiet).
    pub fn warn(&self, msg: impl AsRef<str>) {
        eprintln!(
            "{} {}",
            self.paint_err("warning:", Tone::Warn),
            redact::scrub(msg.as_ref())
        );
    }

    /// Data for stdout.
    pub fn data(&self, text: impl AsRef<str>) -> Result<(), BrokenPipe> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", redact::scrub(text.as_ref())).map_err(|_| BrokenPipe)?;
        out.flush().map_err(|_| BrokenPipe)
    }

    /// The one JSON document of a `--json` run.
    pub fn json_doc<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), BrokenPipe> {
        let text = serde_json::to_string_pretty(value).expect("output serialises");
        self.data(text)
    }

    /// Colours text for stdout when stdout is a colour terminal.
    pub fn paint(&self, text: &str, tone: Tone) -> String {
        paint(text, tone, self.color_stdout)
    }

    pub fn paint_err(&self, text: &str, tone: Tone) -> String {
        paint(text, tone, self.color_stderr)
    }

    /// A table for stdout: styled on a terminal, plain ASCII otherwise (stable for pipes).
    pub fn table(&self, header: &[&str]) -> Table {
        let mut t = Table::new();
        if self.color_stdout {
            t.load_style(presets::UTF8_FULL_CONDENSED);
            // A terminal that reports no width (a pty nobody sized) would squeeze every
            // column to one character: only wrap to a width that is really there.
            if t.width().is_some_and(|w| w >= 40) {
                t.set_content_arrangement(ContentArrangement::Dynamic);
            }
        } else {
            t.load_style(presets::ASCII_MARKDOWN).force_no_tty();
        }
        t.set_header(header.iter().map(Cell::new).collect::<Vec<_>>());
        t
    }

    /// A cell coloured by tone (colour only on a colour terminal).
    pub fn cell(&self, text: impl ToString, tone: Tone) -> Cell {
        let c = Cell::new(text.to_string());
        if !self.color_stdout {
            return c;
        }
        match tone {
            Tone::Good => c.fg(Color::Green),
            Tone::Warn => c.fg(Color::Yellow),
            Tone::Bad => c.fg(Color::Red),
            Tone::Dim => c.fg(Color::DarkGrey),
            Tone::Plain => c,
        }
    }

    /// A progress bar on stderr, hidden unless stderr is a terminal (and not --json/--quiet).
    pub fn progress(&self, len: u64, message: &str) -> ProgressBar {
        if !self.stderr_tty || self.json || self.quiet {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        pb.set_message(message.to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    }

    /// A spinner on stderr for a single slow step, hidden off-terminal.
    pub fn spinner(&self, message: &str) -> ProgressBar {
        if !self.stderr_tty || self.json || self.quiet {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::new_spinner();
        pb.set_message(message.to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    }
}

fn paint(text: &str, tone: Tone, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let code = match tone {
        Tone::Good => "32",
        Tone::Warn => "33",
        Tone::Bad => "31",
        Tone::Dim => "2",
        Tone::Plain => return text.to_string(),
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Prints HTTP traces (-v/-vv) and rate-limit waits on stderr.
pub struct StderrObserver {
    pub verbose: u8,
    pub quiet: bool,
}

impl Observer for StderrObserver {
    fn detail(&self) -> u8 {
        self.verbose
    }

    fn exchange(&self, ex: &Exchange) {
        if self.verbose == 0 {
            return;
        }
        let outcome = match (ex.status, &ex.error) {
            (Some(s), _) => s.to_string(),
            (None, Some(e)) => e.clone(),
            _ => "?".into(),
        };
        let retry = if ex.attempt > 1 {
            format!(" (attempt {})", ex.attempt)
        } else {
            String::new()
        };
        eprintln!(
            "{}",
            redact::scrub(&format!(
                "[{}] {} {} -> {} in {} ms{}",
                ex.service,
                ex.method,
                ex.url,
                outcome,
                ex.elapsed.as_millis(),
                retry
            ))
        );
        if self.verbose >= 2 {
            for h in &ex.request_headers {
                eprintln!("    > {}", redact::scrub(h));
            }
            if let Some(b) = &ex.request_body {
                eprintln!("    > {}", redact::scrub(b));
            }
            if let Some(b) = &ex.response_body {
                eprintln!("    < {}", redact::scrub(b));
            }
        }
    }

    fn waiting(&self, service: &str, wait: Duration, reason: WaitReason) {
        if self.quiet {
            return;
        }
        let why = match reason {
            WaitReason::ClientRateLimit => format!("pacing at {service}'s documented rate limit"),
            WaitReason::Throttled { retry_after: true } => {
                format!("{service} answered 429; waiting as its Retry-After asks")
            }
            WaitReason::Throttled { retry_after: false } => {
                format!("{service} answered 429 without Retry-After; backing off")
            }
            WaitReason::Backoff => {
                if self.verbose == 0 {
                    return;
                }
                format!("retrying a failed {service} request")
            }
        };
        eprintln!("waiting {:.1}s: {why}", wait.as_secs_f64());
    }
}
