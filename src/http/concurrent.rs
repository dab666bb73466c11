//! Independent requests (the remaining pages of a list, a batch of reads) on a few threads.
//! The threads share the service's `Service`, so its rate limiter still paces them all.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::ApiError;

/// Threads per batch: enough to hide latency, few enough to stay inside every vendor's
/// concurrency guidance.
pub const MAX_CONCURRENT: usize = 6;

/// Runs `fetch` for every input on up to [`MAX_CONCURRENT`] threads and returns the results
/// in input order. The first error stops the others from starting new requests and is
/// returned.
pub fn fetch_all<I: Copy + Sync, T: Send>(
    inputs: &[I],
    fetch: impl Fn(I) -> Result<T, ApiError> + Sync,
) -> Result<Vec<T>, ApiError> {
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..inputs.len()).map(|_| None).collect());
    let failure: Mutex<Option<ApiError>> = Mutex::new(None);
    let failed = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..inputs.len().min(MAX_CONCURRENT) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= inputs.len() || failed.load(Ordering::Relaxed) {
                        break;
                    }
                    match fetch(inputs[i]) {
                        Ok(v) => results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(v),
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            failure
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .get_or_insert(e);
                            break;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    Ok(results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::ApiErrorKind;

    #[test]
    fn results_come_back_in_input_order() {
        let inputs: Vec<u32> = (1..=40).collect();
        let out = fetch_all(&inputs, |n| {
            // Later inputs finish first, so order must come from the indices.
            std::thread::sleep(std::time::Duration::from_millis(u64::from(40 - n) / 4));
            Ok(n * 10)
        })
        .unwrap();
        assert_eq!(out, inputs.iter().map(|n| n * 10).collect::<Vec<_>>());
    }

    #[test]
    fn the_first_error_is_returned_and_stops_new_requests() {
        let started = AtomicUsize::new(0);
        let inputs: Vec<u32> = (0..1000).collect();
        let err = fetch_all(&inputs, |n| {
            started.fetch_add(1, Ordering::Relaxed);
            if n == 3 {
                Err(ApiError::new("x", ApiErrorKind::Rejected, "page 3"))
            } else {
                Ok(n)
            }
        })
        .unwrap_err();
        assert_eq!(err.message, "page 3");
        assert!(
            started.load(Ordering::Relaxed) < 1000,
            "the rest were not started"
        );
    }
}
