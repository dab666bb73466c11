//! The `incident sync` cursor: the newest `updated_at` every incident up to which was
//! handled. It advances only past successes (stop at the first failure, so a failed
//! incident is read again next time), and each poll re-reads an overlap before it so an
//! incident updated while the last run paged is not missed.

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// Parses an RFC 3339 timestamp as Huntress writes them (`2024-05-01T10:00:00Z`).
pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).ok()
}

/// Formats a timestamp for the ledger (RFC 3339, UTC).
pub fn format_time(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// One handled incident, as the cursor sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handled {
    pub updated_at: Option<OffsetDateTime>,
    /// Anything but `failed` (skipped and unchanged incidents were handled).
    pub ok: bool,
}

impl Handled {
    pub fn new(updated_at: Option<&str>, ok: bool) -> Handled {
        Handled {
            updated_at: updated_at.and_then(parse_time),
            ok,
        }
    }
}

/// The cursor after a run: walking the incidents in ascending `updated_at`, it moves to
/// each success and stops at the first failure. Incidents without a timestamp cannot be
/// placed and do not move it. It never moves backwards.
pub fn next_cursor(
    current: Option<OffsetDateTime>,
    handled: impl IntoIterator<Item = Handled>,
) -> Option<OffsetDateTime> {
    let mut timed: Vec<(OffsetDateTime, bool)> = handled
        .into_iter()
        .filter_map(|h| h.updated_at.map(|at| (at, h.ok)))
        .collect();
    timed.sort_by_key(|(at, _)| *at);
    let mut cursor = current;
    for (at, ok) in timed {
        if !ok {
            // A success sharing the failure's instant may already have moved the cursor
            // there; `updated_since` is inclusive, so the failure is still re-read.
            break;
        }
        cursor = Some(cursor.map_or(at, |c| c.max(at)));
    }
    cursor
}

/// The `updated_since` of the next poll: the cursor minus the overlap; `None` (read
/// everything) before the first run.
pub fn updated_since(cursor: Option<OffsetDateTime>, overlap_secs: u64) -> Option<OffsetDateTime> {
    let overlap = Duration::seconds(i64::try_from(overlap_secs).unwrap_or(i64::MAX));
    cursor.map(|c| c.checked_sub(overlap).unwrap_or(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn at(text: &str) -> Handled {
        Handled::new(Some(text), true)
    }

    fn failed(text: &str) -> Handled {
        Handled::new(Some(text), false)
    }

    #[test]
    fn cursor_moves_to_the_newest_success() {
        let next = next_cursor(
            None,
            [at("2024-05-01T10:00:00Z"), at("2024-05-01T10:05:00Z")],
        );
        assert_eq!(next, Some(datetime!(2024-05-01 10:05:00 UTC)));
    }

    #[test]
    fn cursor_stops_before_the_first_failure() {
        let next = next_cursor(
            Some(datetime!(2024-05-01 09:00:00 UTC)),
            [
                at("2024-05-01T10:00:00Z"),
                failed("2024-05-01T10:05:00Z"),
                at("2024-05-01T10:10:00Z"),
            ],
        );
        assert_eq!(next, Some(datetime!(2024-05-01 10:00:00 UTC)));
    }

    #[test]
    fn cursor_sorts_its_input_and_never_moves_back() {
        let next = next_cursor(
            Some(datetime!(2024-05-01 12:00:00 UTC)),
            [at("2024-05-01T10:10:00Z"), at("2024-05-01T10:00:00Z")],
        );
        assert_eq!(next, Some(datetime!(2024-05-01 12:00:00 UTC)));
        let first_fails = next_cursor(
            None,
            [at("2024-05-01T10:10:00Z"), failed("2024-05-01T10:00:00Z")],
        );
        assert_eq!(
            first_fails, None,
            "the earliest incident failed: no advance"
        );
    }

    #[test]
    fn incidents_without_timestamps_do_not_move_the_cursor() {
        let next = next_cursor(
            None,
            [Handled::new(None, true), Handled::new(Some("bad"), true)],
        );
        assert_eq!(next, None);
    }

    #[test]
    fn next_poll_re_reads_the_overlap() {
        let cursor = Some(datetime!(2024-05-01 10:05:00 UTC));
        assert_eq!(
            updated_since(cursor, 60),
            Some(datetime!(2024-05-01 10:04:00 UTC))
        );
        assert_eq!(updated_since(cursor, 0), cursor);
        assert_eq!(updated_since(None, 60), None);
    }

    #[test]
    fn times_round_trip_in_utc() {
        let t = parse_time("2024-05-01T12:00:00+02:00").unwrap();
        assert_eq!(format_time(t), "2024-05-01T10:00:00Z");
    }
}
