//! The ledger: which ticket each incident became, what psa-link last pushed to it, and the
//! sync cursor, per PSA identity.
//!
//! ## Format: `ledger.jsonl` (JSON Lines, append-only)
//! One JSON object per line, each with a `type`:
//! ```text
//! {"type":"header","version":2}
//! {"type":"ticket","incident_id":7,"organization_id":101,"psa":"halopsa:acme.halopsa.com","ticket_id":3301,...}
//! {"type":"cursor","psa":"halopsa:acme.halopsa.com","cursor":"2024-05-01T10:00:00Z"}
//! {"type":"skipped","psa":"halopsa:acme.halopsa.com","incident_id":9}
//! {"type":"owed","psa":"halopsa:acme.halopsa.com","incident_id":11}
//! ```
//! - An `owed` line: psa-link saw this incident while it still wanted a ticket (open, or
//!   news) but could not make it (a failed create, `--strict` and no mapping, ...). A
//!   later sync creates its ticket even when the incident has finished by then and the
//!   cursor has moved past it. A later `ticket` line supersedes it.
//! - A `skipped` line: a sync found this incident already finished when it first saw it,
//!   and no ticket under its marker; it gets no ticket and its marker is not looked up
//!   again. A later `ticket` line for it supersedes the skip.
//! - A `ticket` line is a whole [`LedgerEntry`]: the state after one push. The **last**
//!   line for a (`psa`, `incident_id`) pair wins; a `cursor` line likewise per `psa`.
//! - A line is written after each ticket and `fsync`ed before the call returns, so an
//!   interrupted run loses nothing it reported done, and a re-run finds every ticket it
//!   made (the ticket marker covers the window between create and record).
//! - Appending costs the same at 100 entries or 100,000: the file is not rewritten per
//!   write. When superseded lines outnumber live ones (and there are at least
//!   1,000 of them), [`Store::ledger_writer`] compacts the file by an atomic rewrite
//!   holding one line per incident; [`Store::compact_ledger`] does it on demand.
//! - A final line without its newline is a crash mid-append, not a committed record: it is
//!   ignored when read and cut off by the next write. (If it nevertheless holds a complete
//!   record, e.g. a hand edit without a final newline, it is kept and terminated.)
//! - Any other line that is not a valid record is a parse error naming the file, line and
//!   column; such a file is never compacted or rewritten.
//! - Blank lines are ignored. The header is optional; a header with a newer `version` than
//!   this build understands is refused ("written by a newer psa-link"). Version 2 added
//!   the `skipped` and `owed` records: a build that writes to an older file (or one
//!   without a header) first rewrites its header to the current version, atomically, so an
//!   older build refuses the file by its header instead of failing on a record it does not
//!   know. Version-1 files are read as they are.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::write_atomic;
use super::lock::FileLock;
use super::{LEDGER_VERSION, LedgerEntry, Store, StoreError};

pub const LEDGER_FILE: &str = "ledger.jsonl";

/// Superseded lines tolerated before compaction is considered.
const COMPACT_MIN_SUPERSEDED: usize = 1_000;

enum Record {
    Header { version: u32 },
    Ticket(LedgerEntry),
    Cursor { psa: String, cursor: String },
    Skipped { psa: String, incident_id: i64 },
    Owed { psa: String, incident_id: i64 },
}

/// A `skipped` or `owed` line.
#[derive(Deserialize)]
struct IncidentLine {
    psa: String,
    incident_id: i64,
}

#[derive(Deserialize)]
struct Tag {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct HeaderLine {
    version: u32,
}

#[derive(Deserialize)]
struct CursorLine {
    psa: String,
    cursor: String,
}

impl Record {
    /// Reads one line. Each record type is read straight from the line (not through a
    /// tagged enum) so a wrong value's error points at its column.
    fn parse(line: &[u8]) -> Result<Record, serde_json::Error> {
        // Fast path for the lines psa-link writes itself (nearly all of them).
        if line.starts_with(br#"{"type":"ticket","#) {
            return serde_json::from_slice(line).map(Record::Ticket);
        }
        let tag: Tag = serde_json::from_slice(line)?;
        Ok(match tag.kind.as_str() {
            "header" => Record::Header {
                version: serde_json::from_slice::<HeaderLine>(line)?.version,
            },
            "ticket" => Record::Ticket(serde_json::from_slice(line)?),
            "cursor" => {
                let c: CursorLine = serde_json::from_slice(line)?;
                Record::Cursor {
                    psa: c.psa,
                    cursor: c.cursor,
                }
            }
            "skipped" => {
                let s: IncidentLine = serde_json::from_slice(line)?;
                Record::Skipped {
                    psa: s.psa,
                    incident_id: s.incident_id,
                }
            }
            "owed" => {
                let s: IncidentLine = serde_json::from_slice(line)?;
                Record::Owed {
                    psa: s.psa,
                    incident_id: s.incident_id,
                }
            }
            other => {
                return Err(serde::de::Error::custom(format!(
                    "unknown record type `{other}` (expected header, ticket, cursor, skipped or owed; a newer psa-link may have written it)"
                )));
            }
        })
    }
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum RecordRef<'a> {
    Header { version: u32 },
    Ticket(&'a LedgerEntry),
    Cursor { psa: &'a str, cursor: &'a str },
    Skipped { psa: &'a str, incident_id: i64 },
    Owed { psa: &'a str, incident_id: i64 },
}

impl RecordRef<'_> {
    fn line(&self) -> Vec<u8> {
        let mut line = serde_json::to_vec(self).expect("ledger records serialise");
        line.push(b'\n');
        line
    }
}

/// The ledger as read: the last state of every incident's ticket, and the cursors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    tickets: BTreeMap<String, BTreeMap<i64, LedgerEntry>>,
    cursors: BTreeMap<String, String>,
    /// Incidents a sync skipped (finished before psa-link saw them), per PSA identity.
    skipped: BTreeMap<String, std::collections::BTreeSet<i64>>,
    /// Incidents owed a ticket (seen wanting one, not made), per PSA identity.
    owed: BTreeMap<String, std::collections::BTreeSet<i64>>,
    /// Committed records in the file, the header included.
    records: usize,
}

impl Ledger {
    /// What psa-link last pushed for this incident to this PSA.
    pub fn get(&self, psa: &str, incident_id: i64) -> Option<&LedgerEntry> {
        self.tickets.get(psa)?.get(&incident_id)
    }

    /// Every entry, by PSA identity then incident id.
    pub fn entries(&self) -> impl Iterator<Item = &LedgerEntry> {
        self.tickets.values().flat_map(BTreeMap::values)
    }

    /// The entries of one PSA, by incident id.
    pub fn entries_for<'a>(&'a self, psa: &str) -> impl Iterator<Item = &'a LedgerEntry> + 'a {
        self.tickets.get(psa).into_iter().flat_map(BTreeMap::values)
    }

    /// Whether a sync skipped this incident (and it has no ticket since).
    pub fn was_skipped(&self, psa: &str, incident_id: i64) -> bool {
        self.skipped
            .get(psa)
            .is_some_and(|ids| ids.contains(&incident_id))
            && self.get(psa, incident_id).is_none()
    }

    /// Whether psa-link owes this incident a ticket (see the module notes) and has made
    /// none since.
    pub fn is_owed(&self, psa: &str, incident_id: i64) -> bool {
        self.owed
            .get(psa)
            .is_some_and(|ids| ids.contains(&incident_id))
            && self.get(psa, incident_id).is_none()
    }

    /// The sync cursor of this PSA identity.
    pub fn cursor(&self, psa: &str) -> Option<String> {
        self.cursors.get(psa).cloned()
    }

    /// Number of incidents with a ticket (all PSAs).
    pub fn len(&self) -> usize {
        self.tickets.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.tickets.values().all(BTreeMap::is_empty)
    }

    fn apply(&mut self, record: Record) {
        match record {
            Record::Header { .. } => {}
            Record::Ticket(e) => {
                self.tickets
                    .entry(e.psa.clone())
                    .or_default()
                    .insert(e.incident_id, e);
            }
            Record::Cursor { psa, cursor } => {
                self.cursors.insert(psa, cursor);
            }
            Record::Skipped { psa, incident_id } => {
                self.skipped.entry(psa).or_default().insert(incident_id);
            }
            Record::Owed { psa, incident_id } => {
                self.owed.entry(psa).or_default().insert(incident_id);
            }
        }
        self.records += 1;
    }

    fn live_records(&self) -> usize {
        1 + self.len()
            + self.cursors.len()
            + self.live(&self.skipped).count()
            + self.live(&self.owed).count()
    }

    /// Skips (or debts) not superseded by a ticket since.
    fn live<'s>(
        &'s self,
        set: &'s BTreeMap<String, std::collections::BTreeSet<i64>>,
    ) -> impl Iterator<Item = (&'s str, i64)> {
        set.iter().flat_map(move |(psa, ids)| {
            ids.iter()
                .filter(move |id| self.get(psa, **id).is_none())
                .map(move |id| (psa.as_str(), *id))
        })
    }

    fn superseded(&self) -> usize {
        self.records.saturating_sub(self.live_records())
    }

    /// The compacted file: header, then one line per incident and per cursor.
    fn compacted(&self) -> Vec<u8> {
        let mut out = current_header();
        for e in self.entries() {
            out.extend(RecordRef::Ticket(e).line());
        }
        for (psa, cursor) in &self.cursors {
            out.extend(RecordRef::Cursor { psa, cursor }.line());
        }
        for (psa, incident_id) in self.live(&self.skipped) {
            out.extend(RecordRef::Skipped { psa, incident_id }.line());
        }
        for (psa, incident_id) in self.live(&self.owed) {
            out.extend(RecordRef::Owed { psa, incident_id }.line());
        }
        out
    }
}

/// How the file ends.
#[derive(Debug, PartialEq, Eq)]
enum Tail {
    /// Ends with a newline (or is empty).
    Clean,
    /// The last line has no newline but is a complete record: terminate it.
    Unterminated,
    /// The last line is a torn append: cut the file back to this length.
    Torn(u64),
}

/// Reads and validates the whole file.
fn scan(path: &Path, bytes: &[u8]) -> Result<(Ledger, Tail), StoreError> {
    let mut ledger = Ledger::default();
    let mut start = 0usize;
    let mut line_no = 0usize;
    while start < bytes.len() {
        line_no += 1;
        let (line, terminated) = match bytes[start..].iter().position(|b| *b == b'\n') {
            Some(n) => (&bytes[start..start + n], true),
            None => (&bytes[start..], false),
        };
        let blank = line.iter().all(u8::is_ascii_whitespace);
        if !terminated {
            let tail = match (!blank).then(|| parse_line(path, line, line_no)) {
                Some(Ok(record)) => {
                    check_header(path, &record)?;
                    ledger.apply(record);
                    Tail::Unterminated
                }
                _ => Tail::Torn(start as u64),
            };
            return Ok((ledger, tail));
        }
        if !blank {
            let record = parse_line(path, line, line_no)?;
            check_header(path, &record)?;
            ledger.apply(record);
        }
        start += line.len() + 1;
    }
    Ok((ledger, Tail::Clean))
}

fn parse_line(path: &Path, line: &[u8], line_no: usize) -> Result<Record, StoreError> {
    Record::parse(line).map_err(|e| {
        let text = e.to_string();
        // serde_json appends " at line L column C" (within this one line): we give our own.
        let message = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        StoreError::Parse {
            path: path.display().to_string(),
            line: line_no,
            column: e.column().max(1),
            message,
        }
    })
}

fn check_header(path: &Path, record: &Record) -> Result<(), StoreError> {
    if let Record::Header { version } = record {
        super::doc::check_version(path, *version, LEDGER_VERSION)?;
    }
    Ok(())
}

fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io("reading", path, e)),
    }
}

impl Store {
    pub fn ledger_path(&self) -> PathBuf {
        self.path(LEDGER_FILE)
    }

    /// The whole ledger (empty when there is no file yet). Takes no lock: a line being
    /// appended right now is simply not there yet.
    pub fn ledger(&self) -> Result<Ledger, StoreError> {
        let path = self.ledger_path();
        match read_bytes(&path)? {
            None => Ok(Ledger::default()),
            Some(bytes) => scan(&path, &bytes).map(|(ledger, _)| ledger),
        }
    }

    /// Records one push: appends a line and syncs it to disk before returning. Does not
    /// read the whole file, so it costs the same however long the ledger is; for a batch,
    /// [`Store::ledger_writer`] holds the lock once for all of it.
    pub fn record(&self, entry: &LedgerEntry) -> Result<(), StoreError> {
        let path = self.ledger_path();
        let _lock = self.lock(&path)?;
        let mut file = open_for_append(&path)?;
        append(&path, &mut file, &RecordRef::Ticket(entry))
    }

    /// Records the sync cursor of a PSA identity (same guarantees as [`Store::record`]).
    pub fn set_cursor(&self, psa: &str, cursor: &str) -> Result<(), StoreError> {
        let path = self.ledger_path();
        let _lock = self.lock(&path)?;
        let mut file = open_for_append(&path)?;
        append(&path, &mut file, &RecordRef::Cursor { psa, cursor })
    }

    /// Locks the ledger for a batch (an `incident sync` run): reads and validates the whole
    /// file, repairs a torn last line, compacts when superseded lines dominate, and then
    /// appends each record as it is made. The lock is released when the writer drops.
    pub fn ledger_writer(&self) -> Result<LedgerWriter, StoreError> {
        self.ledger_writer_compacting_at(COMPACT_MIN_SUPERSEDED)
    }

    fn ledger_writer_compacting_at(
        &self,
        min_superseded: usize,
    ) -> Result<LedgerWriter, StoreError> {
        let path = self.ledger_path();
        let lock = self.lock(&path)?;
        let mut ledger = match read_bytes(&path)? {
            None => Ledger::default(),
            Some(bytes) => scan(&path, &bytes)?.0,
        };
        if ledger.superseded() >= min_superseded && ledger.superseded() > ledger.live_records() {
            write_atomic(&path, &ledger.compacted())?;
            ledger.records = ledger.live_records();
        }
        let file = open_for_append(&path)?;
        Ok(LedgerWriter {
            _lock: lock,
            path,
            file,
            ledger,
        })
    }

    /// Rewrites the ledger with one line per incident and cursor (atomically, under the
    /// lock). Refuses a file with a bad line.
    pub fn compact_ledger(&self) -> Result<(), StoreError> {
        let path = self.ledger_path();
        let _lock = self.lock(&path)?;
        if let Some(bytes) = read_bytes(&path)? {
            let (ledger, _) = scan(&path, &bytes)?;
            write_atomic(&path, &ledger.compacted())?;
        }
        Ok(())
    }
}

/// The ledger locked for a batch of writes.
#[derive(Debug)]
pub struct LedgerWriter {
    _lock: FileLock,
    path: PathBuf,
    file: File,
    ledger: Ledger,
}

impl LedgerWriter {
    /// The ledger as read under the lock, with this batch's records applied.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub fn record(&mut self, entry: &LedgerEntry) -> Result<(), StoreError> {
        append(&self.path, &mut self.file, &RecordRef::Ticket(entry))?;
        self.ledger.apply(Record::Ticket(entry.clone()));
        Ok(())
    }

    /// Records that a sync skipped this incident (see the module notes).
    pub fn record_skipped(&mut self, psa: &str, incident_id: i64) -> Result<(), StoreError> {
        if self.ledger.was_skipped(psa, incident_id) {
            return Ok(());
        }
        append(
            &self.path,
            &mut self.file,
            &RecordRef::Skipped { psa, incident_id },
        )?;
        self.ledger.apply(Record::Skipped {
            psa: psa.into(),
            incident_id,
        });
        Ok(())
    }

    /// Records that psa-link owes this incident a ticket (see the module notes).
    pub fn record_owed(&mut self, psa: &str, incident_id: i64) -> Result<(), StoreError> {
        if self.ledger.is_owed(psa, incident_id) {
            return Ok(());
        }
        append(
            &self.path,
            &mut self.file,
            &RecordRef::Owed { psa, incident_id },
        )?;
        self.ledger.apply(Record::Owed {
            psa: psa.into(),
            incident_id,
        });
        Ok(())
    }

    pub fn set_cursor(&mut self, psa: &str, cursor: &str) -> Result<(), StoreError> {
        append(
            &self.path,
            &mut self.file,
            &RecordRef::Cursor { psa, cursor },
        )?;
        self.ledger.apply(Record::Cursor {
            psa: psa.into(),
            cursor: cursor.into(),
        });
        Ok(())
    }
}

/// Opens the ledger for appending (creating it with its header, or bringing an older
/// file's header up to this version), with a torn last line cut off. The caller holds the
/// lock.
fn open_for_append(path: &Path) -> Result<File, StoreError> {
    if !path.exists() {
        write_atomic(path, &current_header())?;
    }
    let mut file = open_appending(path)?;
    if check_first_line(path, &mut file)? != Some(LEDGER_VERSION) {
        upgrade_header(path)?;
        file = open_appending(path)?;
    }
    repair_tail(path, &mut file)?;
    Ok(file)
}

fn open_appending(path: &Path) -> Result<File, StoreError> {
    OpenOptions::new()
        .read(true)
        .append(true)
        .open(path)
        .map_err(|e| StoreError::io("opening", path, e))
}

fn current_header() -> Vec<u8> {
    RecordRef::Header {
        version: LEDGER_VERSION,
    }
    .line()
}

/// Rewrites the file (atomically) with the current header in place of an older one, or
/// before the first line when it has none: records this build adds must not meet an older
/// build that would not recognise them.
fn upgrade_header(path: &Path) -> Result<(), StoreError> {
    let bytes = read_bytes(path)?.unwrap_or_default();
    let rest = match bytes.iter().position(|b| *b == b'\n') {
        Some(end) if matches!(Record::parse(&bytes[..end]), Ok(Record::Header { .. })) => {
            &bytes[end + 1..]
        }
        _ => &bytes[..],
    };
    let mut out = current_header();
    out.extend_from_slice(rest);
    write_atomic(path, &out)
}

/// A header from a newer psa-link means this build must not add to the file. Returns the
/// version of the file's header, if its first line is one.
fn check_first_line(path: &Path, file: &mut File) -> Result<Option<u32>, StoreError> {
    let mut head = Vec::new();
    file.seek(SeekFrom::Start(0))
        .and_then(|_| Read::by_ref(file).take(4096).read_to_end(&mut head))
        .map_err(|e| StoreError::io("reading", path, e))?;
    if let Some(end) = head.iter().position(|b| *b == b'\n')
        && let Ok(record) = Record::parse(&head[..end])
    {
        check_header(path, &record)?;
        if let Record::Header { version } = record {
            return Ok(Some(version));
        }
    }
    Ok(None)
}

/// Finds how the file ends, reading backwards only as far as the last newline.
fn tail_of(path: &Path, file: &mut File) -> Result<Tail, StoreError> {
    let io = |e| StoreError::io("reading", path, e);
    let len = file.metadata().map_err(io)?.len();
    let mut chunk = 4096u64;
    loop {
        let from = len.saturating_sub(chunk);
        let mut buf = Vec::new();
        file.seek(SeekFrom::Start(from)).map_err(io)?;
        Read::by_ref(file)
            .take(len - from)
            .read_to_end(&mut buf)
            .map_err(io)?;
        if buf.last().is_none_or(|b| *b == b'\n') {
            return Ok(Tail::Clean);
        }
        if let Some(nl) = buf.iter().rposition(|b| *b == b'\n') {
            return Ok(classify_tail(&buf[nl + 1..], from + nl as u64 + 1));
        }
        if from == 0 {
            return Ok(classify_tail(&buf, 0));
        }
        chunk *= 4;
    }
}

fn classify_tail(last: &[u8], start: u64) -> Tail {
    if !last.iter().all(u8::is_ascii_whitespace) && Record::parse(last).is_ok() {
        Tail::Unterminated
    } else {
        Tail::Torn(start)
    }
}

fn repair_tail(path: &Path, file: &mut File) -> Result<(), StoreError> {
    let io = |e| StoreError::io("repairing", path, e);
    match tail_of(path, file)? {
        Tail::Clean => return Ok(()),
        Tail::Unterminated => file.write_all(b"\n").map_err(io)?,
        Tail::Torn(keep) => file.set_len(keep).map_err(io)?,
    }
    file.sync_data().map_err(io)
}

fn append(path: &Path, file: &mut File, record: &RecordRef<'_>) -> Result<(), StoreError> {
    let io = |e| StoreError::io("appending to", path, e);
    // One write of the whole line: a crash leaves at most a torn last line.
    file.write_all(&record.line()).map_err(io)?;
    file.sync_data().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::LifecycleEvent;
    use crate::source::{IncidentStatus, RemediationState, Severity};

    const PSA: &str = "halopsa:acme.halopsa.com";

    fn entry(incident: i64, ticket: i64, state: LifecycleEvent) -> LedgerEntry {
        LedgerEntry {
            incident_id: incident,
            organization_id: 101,
            organization_name: None,
            psa: PSA.into(),
            ticket_id: ticket,
            company_id: 3,
            unmapped: false,
            mapping_note_pending: false,
            resolution_noted: false,
            severity: Severity::High,
            incident_status: IncidentStatus::Sent,
            remediation: RemediationState::Pending,
            ticket_state: state,
            priority_id: Some("2".into()),
            status_id: Some("1".into()),
            source_updated_at: Some("2024-05-01T10:00:00Z".into()),
            pushed_at: "2024-05-01T10:00:05Z".into(),
        }
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("cfg"));
        (dir, store)
    }

    fn lines(store: &Store) -> Vec<String> {
        std::fs::read_to_string(store.ledger_path())
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn records_read_back_and_the_last_one_wins() {
        let (_d, store) = store();
        assert!(store.ledger().unwrap().is_empty());
        store
            .record(&entry(7, 3301, LifecycleEvent::Created))
            .unwrap();
        store
            .record(&entry(8, 3302, LifecycleEvent::Created))
            .unwrap();
        store
            .record(&entry(7, 3301, LifecycleEvent::Resolved))
            .unwrap();
        store.set_cursor(PSA, "2024-05-01T10:00:00Z").unwrap();
        store.set_cursor(PSA, "2024-05-01T11:00:00Z").unwrap();
        let ledger = store.ledger().unwrap();
        assert_eq!(ledger.len(), 2);
        assert_eq!(
            ledger.get(PSA, 7).unwrap().ticket_state,
            LifecycleEvent::Resolved
        );
        assert_eq!(
            ledger.get(PSA, 8),
            Some(&entry(8, 3302, LifecycleEvent::Created))
        );
        assert_eq!(ledger.get("connectwise:x", 7), None);
        assert_eq!(ledger.cursor(PSA).as_deref(), Some("2024-05-01T11:00:00Z"));
        assert_eq!(ledger.entries_for(PSA).count(), 2);
        let l = lines(&store);
        assert_eq!(l[0], r#"{"type":"header","version":2}"#);
        assert_eq!(l.len(), 6, "appends, never rewrites");
        assert!(
            l[1].starts_with(r#"{"type":"ticket","incident_id":7,"#),
            "{}",
            l[1]
        );
    }

    #[test]
    fn a_torn_last_line_is_ignored_then_cut_off_by_the_next_write() {
        let (_d, store) = store();
        store
            .record(&entry(1, 11, LifecycleEvent::Created))
            .unwrap();
        let mut f = OpenOptions::new()
            .append(true)
            .open(store.ledger_path())
            .unwrap();
        f.write_all(br#"{"type":"ticket","incident_id":2,"organization_id":1"#)
            .unwrap();
        drop(f);
        let ledger = store.ledger().unwrap();
        assert_eq!(ledger.len(), 1);
        assert!(ledger.get(PSA, 2).is_none());
        store
            .record(&entry(2, 12, LifecycleEvent::Created))
            .unwrap();
        let l = lines(&store);
        assert_eq!(l.len(), 3, "{l:?}");
        assert!(
            l.iter()
                .all(|line| serde_json::from_str::<serde_json::Value>(line).is_ok())
        );
        assert_eq!(store.ledger().unwrap().len(), 2);
    }

    #[test]
    fn a_complete_record_without_its_newline_is_kept_and_terminated() {
        let (_d, store) = store();
        store
            .record(&entry(1, 11, LifecycleEvent::Created))
            .unwrap();
        let mut text = std::fs::read_to_string(store.ledger_path()).unwrap();
        text.push_str(
            &String::from_utf8(RecordRef::Ticket(&entry(2, 12, LifecycleEvent::Created)).line())
                .unwrap(),
        );
        text.pop();
        std::fs::write(store.ledger_path(), &text).unwrap();
        assert_eq!(store.ledger().unwrap().len(), 2);
        store.set_cursor(PSA, "c").unwrap();
        assert_eq!(lines(&store).len(), 4);
        let ledger = store.ledger().unwrap();
        assert_eq!(ledger.len(), 2);
        assert_eq!(ledger.cursor(PSA).as_deref(), Some("c"));
    }

    #[test]
    fn a_bad_line_is_a_parse_error_and_the_file_is_not_rewritten() {
        let (_d, store) = store();
        store
            .record(&entry(1, 11, LifecycleEvent::Created))
            .unwrap();
        store
            .record(&entry(2, 12, LifecycleEvent::Created))
            .unwrap();
        let text = std::fs::read_to_string(store.ledger_path()).unwrap();
        let broken = text.replacen(r#""ticket_id":11"#, r#""ticket_id":"eleven""#, 1);
        std::fs::write(store.ledger_path(), &broken).unwrap();
        match store.ledger().unwrap_err() {
            StoreError::Parse {
                path,
                line,
                column,
                message,
            } => {
                assert!(path.ends_with("ledger.jsonl"));
                assert_eq!(line, 2);
                assert!(column > 40, "{column}");
                assert!(message.contains("invalid type"), "{message}");
                assert!(!message.contains(" at line "), "{message}");
            }
            e => panic!("{e}"),
        }
        assert!(store.ledger_writer().is_err());
        assert!(store.compact_ledger().is_err());
        assert_eq!(
            std::fs::read_to_string(store.ledger_path()).unwrap(),
            broken
        );
    }

    #[test]
    fn a_newer_ledger_is_refused_for_reading_and_writing() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        let newer = "{\"type\":\"header\",\"version\":9}\n";
        std::fs::write(store.ledger_path(), newer).unwrap();
        assert!(matches!(
            store.ledger().unwrap_err(),
            StoreError::Invalid(_)
        ));
        assert!(matches!(
            store
                .record(&entry(1, 1, LifecycleEvent::Created))
                .unwrap_err(),
            StoreError::Invalid(_)
        ));
        assert_eq!(std::fs::read_to_string(store.ledger_path()).unwrap(), newer);
    }

    #[test]
    fn an_interrupted_run_resumes_without_losing_or_duplicating() {
        let (_d, store) = store();
        // Run 1 pushes incidents 1..=5 and dies while appending the record for 6.
        {
            let mut w = store.ledger_writer().unwrap();
            for i in 1..=5 {
                w.record(&entry(i, 100 + i, LifecycleEvent::Created))
                    .unwrap();
            }
        }
        let mut f = OpenOptions::new()
            .append(true)
            .open(store.ledger_path())
            .unwrap();
        let six = RecordRef::Ticket(&entry(6, 106, LifecycleEvent::Created)).line();
        f.write_all(&six[..six.len() / 2]).unwrap();
        drop(f);
        // Run 2 sees exactly the five committed tickets, then redoes 6 and goes on.
        let mut w = store.ledger_writer().unwrap();
        let done: Vec<i64> = w.ledger().entries().map(|e| e.incident_id).collect();
        assert_eq!(done, [1, 2, 3, 4, 5]);
        for i in 6..=8 {
            if w.ledger().get(PSA, i).is_none() {
                w.record(&entry(i, 100 + i, LifecycleEvent::Created))
                    .unwrap();
            }
        }
        w.set_cursor(PSA, "t2").unwrap();
        drop(w);
        let ledger = store.ledger().unwrap();
        let ids: Vec<i64> = ledger.entries().map(|e| e.incident_id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7, 8]);
        let ticket_lines = lines(&store)
            .iter()
            .filter(|l| l.contains(r#""type":"ticket""#))
            .count();
        assert_eq!(ticket_lines, 8);
    }

    #[test]
    fn compaction_keeps_one_line_per_incident() {
        let (_d, store) = store();
        {
            let mut w = store.ledger_writer().unwrap();
            for round in 0..6 {
                for i in 0..5 {
                    let mut e = entry(i, 1000 + i, LifecycleEvent::Created);
                    e.pushed_at = format!("round {round}");
                    w.record(&e).unwrap();
                }
            }
            w.set_cursor(PSA, "c1").unwrap();
        }
        assert_eq!(lines(&store).len(), 1 + 30 + 1);
        let before = store.ledger().unwrap();
        // Below the threshold nothing happens.
        drop(store.ledger_writer_compacting_at(26).unwrap());
        assert_eq!(lines(&store).len(), 32);
        // 25 superseded lines outnumber 7 live ones: opening a writer compacts.
        let mut w = store.ledger_writer_compacting_at(25).unwrap();
        assert_eq!(w.ledger().entries().count(), 5);
        w.record(&entry(9, 1009, LifecycleEvent::Created)).unwrap();
        drop(w);
        assert_eq!(lines(&store).len(), 1 + 5 + 1 + 1);
        let after = store.ledger().unwrap();
        assert_eq!(
            after
                .entries()
                .filter(|e| e.incident_id != 9)
                .collect::<Vec<_>>(),
            before.entries().collect::<Vec<_>>()
        );
        assert_eq!(after.get(PSA, 3).unwrap().pushed_at, "round 5");
        assert_eq!(after.cursor(PSA).as_deref(), Some("c1"));
        assert!(after.get(PSA, 9).is_some());
    }

    #[test]
    fn skipped_incidents_are_remembered_until_they_get_a_ticket() {
        let (_d, store) = store();
        {
            let mut w = store.ledger_writer().unwrap();
            w.record_skipped(PSA, 7).unwrap();
            w.record_skipped(PSA, 7).unwrap(); // once is enough
            w.record_skipped(PSA, 8).unwrap();
            for _ in 0..6 {
                w.record(&entry(8, 1008, LifecycleEvent::Created)).unwrap();
            }
        }
        let ledger = store.ledger().unwrap();
        assert!(ledger.was_skipped(PSA, 7));
        assert!(!ledger.was_skipped("connectwise:other", 7));
        assert!(
            !ledger.was_skipped(PSA, 8),
            "a ticket since supersedes the skip"
        );
        assert_eq!(lines(&store).len(), 1 + 2 + 6);
        // Compaction keeps the skip that still matters, and only that one.
        drop(store.ledger_writer_compacting_at(1).unwrap());
        let text = lines(&store).join("\n");
        assert_eq!(lines(&store).len(), 1 + 1 + 1, "{text}");
        assert!(
            text.contains(r#"{"type":"skipped","psa":"halopsa:acme.halopsa.com","incident_id":7}"#),
            "{text}"
        );
        assert!(store.ledger().unwrap().was_skipped(PSA, 7));
    }

    #[test]
    fn owed_incidents_are_remembered_until_they_get_a_ticket() {
        let (_d, store) = store();
        {
            let mut w = store.ledger_writer().unwrap();
            w.record_owed(PSA, 7).unwrap();
            w.record_owed(PSA, 7).unwrap(); // once is enough
            w.record_owed(PSA, 8).unwrap();
            for _ in 0..6 {
                w.record(&entry(8, 1008, LifecycleEvent::Created)).unwrap();
            }
        }
        let ledger = store.ledger().unwrap();
        assert!(ledger.is_owed(PSA, 7));
        assert!(!ledger.is_owed("connectwise:other", 7));
        assert!(!ledger.is_owed(PSA, 8), "a ticket since settles the debt");
        assert!(!ledger.was_skipped(PSA, 7), "a debt is not a skip");
        drop(store.ledger_writer_compacting_at(1).unwrap());
        let text = lines(&store).join("\n");
        assert_eq!(lines(&store).len(), 1 + 1 + 1, "{text}");
        assert!(
            text.contains(r#"{"type":"owed","psa":"halopsa:acme.halopsa.com","incident_id":7}"#),
            "{text}"
        );
        assert!(store.ledger().unwrap().is_owed(PSA, 7));
    }

    #[test]
    fn a_version_1_ledger_is_read_as_is_and_gets_the_current_header_before_new_records() {
        let (_d, store) = store();
        std::fs::create_dir_all(store.dir()).unwrap();
        let ticket =
            String::from_utf8(RecordRef::Ticket(&entry(1, 11, LifecycleEvent::Created)).line())
                .unwrap();
        let old = format!("{{\"type\":\"header\",\"version\":1}}\n{ticket}");
        std::fs::write(store.ledger_path(), &old).unwrap();
        assert_eq!(store.ledger().unwrap().len(), 1, "version 1 is read");
        assert_eq!(
            std::fs::read_to_string(store.ledger_path()).unwrap(),
            old,
            "reading changes nothing"
        );
        store
            .ledger_writer()
            .unwrap()
            .record_skipped(PSA, 9)
            .unwrap();
        let l = lines(&store);
        assert_eq!(l[0], r#"{"type":"header","version":2}"#);
        assert_eq!(l.len(), 3, "{l:?}");
        assert_eq!(format!("{}\n", l[1]), ticket);
        let ledger = store.ledger().unwrap();
        assert_eq!(ledger.len(), 1);
        assert!(ledger.was_skipped(PSA, 9));

        // No header at all (a hand-made file): one is put first.
        std::fs::write(store.ledger_path(), &ticket).unwrap();
        store.set_cursor(PSA, "c").unwrap();
        let l = lines(&store);
        assert_eq!(l[0], r#"{"type":"header","version":2}"#);
        assert_eq!(l.len(), 3, "{l:?}");
        assert_eq!(store.ledger().unwrap().cursor(PSA).as_deref(), Some("c"));
    }

    #[test]
    fn an_older_build_refuses_a_current_ledger_saying_a_newer_psa_link_wrote_it() {
        let (_d, store) = store();
        store.ledger_writer().unwrap().record_owed(PSA, 3).unwrap();
        // What a version-1 build checks first: the header.
        let first = lines(&store)[0].clone();
        let Ok(Record::Header { version }) = Record::parse(first.as_bytes()) else {
            panic!("{first}");
        };
        let err = crate::store::doc::check_version(&store.ledger_path(), version, 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("written by a newer psa-link"), "{err}");
        assert!(err.contains("upgrade psa-link"), "{err}");
        // A record type this build does not know hints at the same cause.
        let unknown = Record::parse(br#"{"type":"epoch","psa":"x"}"#)
            .err()
            .unwrap()
            .to_string();
        assert!(
            unknown.contains("a newer psa-link may have written it"),
            "{unknown}"
        );
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let (_d, store) = store();
        std::thread::scope(|s| {
            for t in 0..4i64 {
                let store = store.clone();
                s.spawn(move || {
                    for i in 0..25i64 {
                        let id = t * 1000 + i;
                        if i % 2 == 0 {
                            store
                                .record(&entry(id, id, LifecycleEvent::Created))
                                .unwrap();
                        } else {
                            let mut w = store.ledger_writer().unwrap();
                            w.record(&entry(id, id, LifecycleEvent::Created)).unwrap();
                        }
                    }
                });
            }
        });
        let ledger = store.ledger().unwrap();
        assert_eq!(ledger.len(), 100);
        assert_eq!(lines(&store).len(), 101);
    }
}
