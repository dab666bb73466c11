//! Source organizations x live PSA companies x stored mapping -> the new mapping, a report
//! per organization, the summary counts and the exact list of changes.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Serialize;

use super::index::{CompanyIndex, Suggestion};
use crate::psa::Company;
use crate::source::Organization;
use crate::store::{CompanyRef, How, Mapping, MappingEntry};

/// What the run may do to the mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `map auto`: add exact-name pairs and refresh stored names.
    AutoMap,
    /// `map list`: report against the live PSA; the mapping comes back unchanged and
    /// there are no changes.
    DiffOnly,
}

/// An organization's standing. The four states partition the report rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Paired with an active company.
    Mapped,
    /// No pair, and no single exact-name company to auto-map to.
    Unmapped,
    /// No pair, and an exact name that does not pick one company: two organizations
    /// share it, or two active companies do. Never guessed.
    Ambiguous,
    /// A stored pair that no longer works: its company is deleted or inactive, or its
    /// organization is gone from the source. Kept until a person re-pairs or removes it.
    Stale,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Mapped => "mapped",
            State::Unmapped => "unmapped",
            State::Ambiguous => "ambiguous",
            State::Stale => "stale",
        }
    }
}

/// One organization's row (also one row per stored pair whose organization is gone from
/// the source, with `in_source: false`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgReport {
    pub id: i64,
    /// The source's current name (the stored one for an organization gone from it).
    pub name: String,
    pub state: State,
    pub how: Option<How>,
    /// The paired company, with its live name when the PSA still has it.
    pub company: Option<CompanyRef>,
    /// For unmapped, ambiguous and stale rows (not for organizations gone from the
    /// source): companies a person might pair it with, best first.
    pub suggestions: Vec<Suggestion>,
    /// What a technician should know or do, in words.
    pub note: Option<String>,
    /// False for a stored pair whose organization the source no longer lists.
    pub in_source: bool,
    /// True when this run added the pair.
    pub new: bool,
}

impl OrgReport {
    /// Unmapped or ambiguous: work for a person (`map manual`).
    pub fn needs_pair(&self) -> bool {
        matches!(self.state, State::Unmapped | State::Ambiguous)
    }
}

/// The counts of SPEC section 6. `mapped`, `unmapped`, `ambiguous` and `stale` partition
/// the rows (a stale pair is *not* counted as mapped, and a pair whose organization is
/// gone from the source counts as stale); `newly_mapped` is the part of `mapped` this run
/// added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub mapped: usize,
    pub newly_mapped: usize,
    pub unmapped: usize,
    pub ambiguous: usize,
    pub stale: usize,
}

impl Summary {
    /// Unmapped plus ambiguous.
    pub fn need_pair(&self) -> usize {
        self.unmapped + self.ambiguous
    }

    /// "41 mapped (3 new), 6 need a manual pair, 1 stale".
    pub fn headline(&self) -> String {
        let mut out = format!("{} mapped", self.mapped);
        if self.newly_mapped > 0 {
            out.push_str(&format!(" ({} new)", self.newly_mapped));
        }
        let need = self.need_pair();
        out.push_str(&format!(
            ", {need} {} a manual pair",
            if need == 1 { "needs" } else { "need" }
        ));
        if self.ambiguous > 0 {
            out.push_str(&format!(" ({} ambiguous)", self.ambiguous));
        }
        out.push_str(&format!(", {} stale", self.stale));
        out
    }
}

/// One edit to `mapping.toml`, precise enough for `--dry-run` to show what would be
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// `map auto` paired an organization by exact name.
    Added {
        organization_id: i64,
        organization: String,
        company: CompanyRef,
        how: How,
    },
    /// The PSA renamed a paired company; the pair stays, the stored name follows.
    CompanyRenamed {
        organization_id: i64,
        company_id: i64,
        from: String,
        to: String,
    },
    /// The source renamed an organization; the pair stays, the stored name follows.
    OrganizationRenamed {
        organization_id: i64,
        from: String,
        to: String,
    },
    /// A person pinned a pair (`map manual`, `--accept-suggestions`); `previous` is the
    /// pair it replaced.
    Pinned {
        organization_id: i64,
        organization: String,
        company: CompanyRef,
        previous: Option<CompanyRef>,
    },
    /// A person removed a pair (`map remove`).
    Removed {
        organization_id: i64,
        organization: String,
        company: CompanyRef,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added {
                organization_id,
                organization,
                company,
                how,
            } => write!(
                f,
                "pair organization {organization_id} '{organization}' with company {} '{}' ({})",
                company.id,
                company.name,
                how.as_str()
            ),
            Change::CompanyRenamed {
                organization_id,
                company_id,
                from,
                to,
            } => write!(
                f,
                "rename company {company_id} '{from}' to '{to}' (paired with organization {organization_id})"
            ),
            Change::OrganizationRenamed {
                organization_id,
                from,
                to,
            } => write!(
                f,
                "rename organization {organization_id} '{from}' to '{to}'"
            ),
            Change::Pinned {
                organization_id,
                organization,
                company,
                previous,
            } => {
                write!(
                    f,
                    "pin organization {organization_id} '{organization}' to company {} '{}' (manual)",
                    company.id, company.name
                )?;
                match previous {
                    Some(p) => write!(f, ", replacing company {} '{}'", p.id, p.name),
                    None => Ok(()),
                }
            }
            Change::Removed {
                organization_id,
                organization,
                company,
            } => write!(
                f,
                "remove the pair of organization {organization_id} '{organization}' with company {} '{}'",
                company.id, company.name
            ),
        }
    }
}

/// How much work the run did (for the shape test and `-v`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    pub organizations: usize,
    pub companies: usize,
    /// Companies examined for similar-name suggestions (each at most one string
    /// distance).
    pub comparisons: usize,
}

/// The outcome of [`reconcile`].
#[derive(Debug, Clone)]
pub struct Reconciliation {
    /// The mapping to write (equal to the stored one in [`Mode::DiffOnly`]).
    pub mapping: Mapping,
    /// One row per source organization and per stored pair whose organization is gone,
    /// by organization id.
    pub organizations: Vec<OrgReport>,
    pub summary: Summary,
    /// What changed between the stored mapping and [`Reconciliation::mapping`], in
    /// organization-id order. Empty in [`Mode::DiffOnly`].
    pub changes: Vec<Change>,
    pub work: Work,
}

/// Diffs the source's organizations against the PSA's companies and the stored mapping.
///
/// Organizations are keyed by id; names are labels. An unpaired organization is
/// auto-mapped (in [`Mode::AutoMap`]) only when its name is byte-identical to exactly one
/// active company's and no other organization has that name. Stored pairs, `manual` or
/// `auto`, are never re-pointed or dropped: renamed companies and organizations keep
/// their pair with the stored name refreshed, and deleted or inactive companies and
/// vanished organizations are reported as stale.
pub fn reconcile(
    orgs: &[Organization],
    companies: &[Company],
    stored: &Mapping,
    mode: Mode,
) -> Reconciliation {
    let index = CompanyIndex::new(companies);
    let mut live: BTreeMap<i64, &Organization> = BTreeMap::new();
    for org in orgs {
        // A repeated id is a paging glitch in the source; the first record wins.
        live.entry(org.id).or_insert(org);
    }
    let mut namesakes: HashMap<&str, Vec<i64>> = HashMap::new();
    for org in live.values() {
        namesakes.entry(org.name.as_str()).or_default().push(org.id);
    }
    let mut run = Run {
        index: &index,
        mode,
        namesakes: &namesakes,
        mapping: stored.clone(),
        changes: Vec::new(),
    };
    let mut rows = Vec::with_capacity(live.len() + stored.organizations.len());
    for org in live.values() {
        rows.push(match stored.organizations.get(&org.id) {
            Some(entry) => run.paired(org, entry),
            None => run.unpaired(org),
        });
    }
    for (&id, entry) in &stored.organizations {
        if !live.contains_key(&id) {
            rows.push(run.gone(id, entry));
        }
    }
    rows.sort_by_key(|r| r.id);
    let Run {
        mut mapping,
        mut changes,
        ..
    } = run;
    if mode == Mode::DiffOnly {
        mapping = stored.clone();
        changes.clear();
    }
    changes.sort_by_key(change_org);
    Reconciliation {
        summary: summarize(&rows),
        work: Work {
            organizations: live.len(),
            companies: companies.len(),
            comparisons: index.comparisons(),
        },
        mapping,
        organizations: rows,
        changes,
    }
}

fn change_org(c: &Change) -> i64 {
    c.organization_id()
}

impl Change {
    /// The organization the change is about.
    pub fn organization_id(&self) -> i64 {
        match self {
            Change::Added {
                organization_id, ..
            }
            | Change::CompanyRenamed {
                organization_id, ..
            }
            | Change::OrganizationRenamed {
                organization_id, ..
            }
            | Change::Pinned {
                organization_id, ..
            }
            | Change::Removed {
                organization_id, ..
            } => *organization_id,
        }
    }
}

fn summarize(rows: &[OrgReport]) -> Summary {
    let mut s = Summary::default();
    for r in rows {
        match r.state {
            State::Mapped => s.mapped += 1,
            State::Unmapped => s.unmapped += 1,
            State::Ambiguous => s.ambiguous += 1,
            State::Stale => s.stale += 1,
        }
        if r.new {
            s.newly_mapped += 1;
        }
    }
    s
}

struct Run<'r, 'a> {
    index: &'r CompanyIndex<'a>,
    mode: Mode,
    namesakes: &'r HashMap<&'a str, Vec<i64>>,
    mapping: Mapping,
    changes: Vec<Change>,
}

impl Run<'_, '_> {
    /// A source organization with a stored pair.
    fn paired(&mut self, org: &Organization, entry: &MappingEntry) -> OrgReport {
        let mut notes = Vec::new();
        if entry.name != org.name {
            notes.push(format!("renamed in the source (was '{}')", entry.name));
            self.changes.push(Change::OrganizationRenamed {
                organization_id: org.id,
                from: entry.name.clone(),
                to: org.name.clone(),
            });
            if let Some(e) = self.mapping.organizations.get_mut(&org.id) {
                e.name = org.name.clone();
            }
        }
        let (company, state) = self.check_company(org.id, entry, &mut notes);
        let suggestions = if state == State::Stale {
            self.index.suggest(&org.name)
        } else {
            Vec::new()
        };
        OrgReport {
            id: org.id,
            name: org.name.clone(),
            state,
            how: Some(entry.how),
            company: Some(company),
            suggestions,
            note: join_notes(notes),
            in_source: true,
            new: false,
        }
    }

    /// A stored pair whose organization the source no longer lists.
    fn gone(&mut self, id: i64, entry: &MappingEntry) -> OrgReport {
        let mut notes = vec![format!(
            "no longer in the source; `psa-link map remove {id}` drops the pair"
        )];
        let (company, _) = self.check_company(id, entry, &mut notes);
        OrgReport {
            id,
            name: entry.name.clone(),
            state: State::Stale,
            how: Some(entry.how),
            company: Some(company),
            suggestions: Vec::new(),
            note: join_notes(notes),
            in_source: false,
            new: false,
        }
    }

    /// The stored company as the PSA has it now: refreshes a renamed one, and says
    /// whether the pair still works.
    fn check_company(
        &mut self,
        org_id: i64,
        entry: &MappingEntry,
        notes: &mut Vec<String>,
    ) -> (CompanyRef, State) {
        let stored = &entry.company;
        let Some(live) = self.index.by_id(stored.id) else {
            notes.push(format!(
                "company {} '{}' no longer exists in the PSA: pair again with `map manual`",
                stored.id, stored.name
            ));
            return (stored.clone(), State::Stale);
        };
        if live.name != stored.name {
            notes.push(format!(
                "company renamed in the PSA (was '{}')",
                stored.name
            ));
            self.changes.push(Change::CompanyRenamed {
                organization_id: org_id,
                company_id: live.id,
                from: stored.name.clone(),
                to: live.name.clone(),
            });
            if let Some(e) = self.mapping.organizations.get_mut(&org_id) {
                e.company.name = live.name.clone();
            }
        }
        let company = CompanyRef {
            id: live.id,
            name: live.name.clone(),
        };
        if live.active {
            (company, State::Mapped)
        } else {
            notes.push(format!(
                "company {} '{}' is inactive in the PSA: reactivate it or pair again with `map manual`",
                live.id, live.name
            ));
            (company, State::Stale)
        }
    }

    /// A source organization without a stored pair: auto-map on a unique exact name.
    fn unpaired(&mut self, org: &Organization) -> OrgReport {
        let mut row = OrgReport {
            id: org.id,
            name: org.name.clone(),
            state: State::Unmapped,
            how: None,
            company: None,
            suggestions: Vec::new(),
            note: None,
            in_source: true,
            new: false,
        };
        if org.name.trim().is_empty() {
            row.note = Some("the organization has no name: pair it with `map manual`".into());
            return row;
        }
        let exact = self.index.exact_active(&org.name);
        let namesakes = self.namesakes.get(org.name.as_str()).map_or(&[][..], |v| v);
        if namesakes.len() > 1 {
            row.state = State::Ambiguous;
            row.note = Some(format!(
                "{} organizations are named '{}' (ids {}): pair each with `map manual`",
                namesakes.len(),
                org.name,
                join_ids(namesakes.iter().copied())
            ));
        } else if exact.len() > 1 {
            row.state = State::Ambiguous;
            row.note = Some(format!(
                "{} active companies are named '{}' (ids {}): choose one with `map manual`",
                exact.len(),
                org.name,
                join_ids(exact.iter().map(|c| c.id))
            ));
        } else if let [company] = exact.as_slice() {
            if self.mode == Mode::AutoMap {
                return self.add(row, company);
            }
            row.note = Some("exact name match: `map auto` pairs it".into());
        } else if let Some(inactive) = self.index.exact(&org.name).first() {
            row.note = Some(format!(
                "the only company named exactly '{}' (id {}) is inactive in the PSA",
                inactive.name, inactive.id
            ));
        }
        row.suggestions = self.index.suggest(&org.name);
        if row.suggestions.is_empty() && row.note.is_none() {
            row.note = Some(
                "no company with this or a similar name: create it in the PSA, or pair with `map manual`"
                    .into(),
            );
        }
        row
    }

    fn add(&mut self, mut row: OrgReport, company: &Company) -> OrgReport {
        let company = CompanyRef {
            id: company.id,
            name: company.name.clone(),
        };
        self.mapping.organizations.insert(
            row.id,
            MappingEntry {
                name: row.name.clone(),
                company: company.clone(),
                how: How::Auto,
            },
        );
        self.changes.push(Change::Added {
            organization_id: row.id,
            organization: row.name.clone(),
            company: company.clone(),
            how: How::Auto,
        });
        row.state = State::Mapped;
        row.how = Some(How::Auto);
        row.company = Some(company);
        row.new = true;
        row
    }
}

fn join_notes(notes: Vec<String>) -> Option<String> {
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn join_ids(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}
