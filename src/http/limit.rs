//! Client-side rate limiting at each vendor's documented limit, so psa-link waits a little
//! instead of being refused (and, for Autotask, instead of slowing the whole tenant down).

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// A vendor's documented request budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    Unlimited,
    /// At most `max` requests in any `window` (a sliding window: Huntress 60/min,
    /// HaloPSA N per rolling 5 minutes, Syncro 180/min, Autotask 10,000/hour).
    Sliding {
        max: u32,
        window: Duration,
    },
}

impl RateLimit {
    pub const fn per_minute(max: u32) -> RateLimit {
        RateLimit::Sliding {
            max,
            window: Duration::from_secs(60),
        }
    }

    pub const fn per(max: u32, secs: u64) -> RateLimit {
        RateLimit::Sliding {
            max,
            window: Duration::from_secs(secs),
        }
    }
}

/// Sliding-window limiter plus an optional cap on requests in flight (Autotask allows 3
/// concurrent threads per integration and endpoint). Shared by every thread that talks to
/// one service.
#[derive(Debug)]
pub struct Limiter {
    limit: RateLimit,
    max_in_flight: Option<u32>,
    state: Mutex<LimiterState>,
    freed: Condvar,
}

#[derive(Debug, Default)]
struct LimiterState {
    sent: VecDeque<Instant>,
    in_flight: u32,
}

/// Held while a request is in flight; releases its concurrency slot on drop.
pub struct Permit<'a> {
    limiter: &'a Limiter,
    /// How long the caller waited for this permit.
    pub waited: Duration,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.limiter.max_in_flight.is_some() {
            let mut st = self.limiter.state.lock().unwrap_or_else(|e| e.into_inner());
            st.in_flight = st.in_flight.saturating_sub(1);
            self.limiter.freed.notify_one();
        }
    }
}

impl Limiter {
    pub fn new(limit: RateLimit, max_in_flight: Option<u32>) -> Self {
        Limiter {
            limit,
            max_in_flight,
            state: Mutex::default(),
            freed: Condvar::new(),
        }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Blocks until one more request may be sent, and records it as sent.
    pub fn acquire(&self) -> Permit<'_> {
        let start = Instant::now();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(max) = self.max_in_flight {
            while st.in_flight >= max {
                st = self.freed.wait(st).unwrap_or_else(|e| e.into_inner());
            }
            st.in_flight += 1;
        }
        if let RateLimit::Sliding { max, window } = self.limit {
            loop {
                let now = Instant::now();
                while st
                    .sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= window)
                {
                    st.sent.pop_front();
                }
                if (st.sent.len() as u32) < max {
                    st.sent.push_back(now);
                    break;
                }
                let oldest = *st.sent.front().expect("window is full");
                let wait = window.saturating_sub(now.duration_since(oldest));
                // Sleep without holding the lock so other threads can release permits.
                drop(st);
                std::thread::sleep(wait + Duration::from_millis(5));
                st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            }
        }
        Permit {
            limiter: self,
            waited: start.elapsed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_window_delays_the_request_past_the_budget() {
        let limiter = Limiter::new(
            RateLimit::Sliding {
                max: 3,
                window: Duration::from_millis(200),
            },
            None,
        );
        let start = Instant::now();
        for _ in 0..3 {
            let p = limiter.acquire();
            assert!(p.waited < Duration::from_millis(50));
        }
        let fourth = limiter.acquire();
        assert!(
            fourth.waited >= Duration::from_millis(150),
            "waited {:?}",
            fourth.waited
        );
        assert!(start.elapsed() >= Duration::from_millis(195));
    }

    #[test]
    fn in_flight_cap_blocks_until_a_permit_is_dropped() {
        let limiter = std::sync::Arc::new(Limiter::new(RateLimit::Unlimited, Some(1)));
        let held = limiter.acquire();
        let l2 = limiter.clone();
        let t = std::thread::spawn(move || l2.acquire().waited);
        std::thread::sleep(Duration::from_millis(100));
        drop(held);
        let waited = t.join().unwrap();
        assert!(waited >= Duration::from_millis(80), "waited {waited:?}");
    }
}
