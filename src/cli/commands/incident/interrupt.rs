//! Ctrl-C during `incident push|sync|resolve`: the first one asks the run to stop after
//! the incident in flight (its ticket recorded, the cursor written for what was done); a
//! second one ends the process at once.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static STOP: AtomicBool = AtomicBool::new(false);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Exit code of a second Ctrl-C (128 + SIGINT, the shell's convention).
const ABORTED: i32 = 130;

/// Installs the handler (once per process). Returns false when the platform refused it:
/// Ctrl-C then ends the run the default way, which the ledger and markers also survive.
pub fn install() -> bool {
    *INSTALLED.get_or_init(|| {
        ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                eprintln!("aborted");
                std::process::exit(ABORTED);
            }
            eprintln!(
                "stopping after the incident in flight (its ticket is recorded); press Ctrl-C again to abort at once"
            );
        })
        .is_ok()
    })
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Sleeps up to `total`, waking early when a stop is asked for. Returns false then.
pub fn sleep(total: Duration) -> bool {
    let end = Instant::now() + total;
    while !requested() {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(Duration::from_millis(100)));
    }
    false
}
