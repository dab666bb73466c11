//! Pairs a person makes: `map manual`, `map remove`, and `map auto --accept-suggestions`
//! (which pins, as manual pairs and after asking, only the suggestions that leave nothing
//! to choose).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::index::SuggestionKind;
use super::reconcile::{Change, Reconciliation, State};
use crate::store::{CompanyRef, How, Mapping, MappingEntry};

/// A suggestion `--accept-suggestions` would pin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acceptance {
    pub organization_id: i64,
    pub organization: String,
    pub company: CompanyRef,
    /// The suggestion's reason, for the confirmation prompt.
    pub why: String,
}

/// The unmapped organizations whose best suggestion leaves nothing to choose, in
/// organization-id order. A suggestion is accepted only when all of these hold:
/// - the organization is `unmapped` (not ambiguous, not stale, still in the source);
/// - its best suggestion is an exact or normalised match (a merely similar name is never
///   accepted in bulk: "Trey Research" and "Grey Research" are different customers);
/// - no other suggestion of the same strength exists for it (one company at the top);
/// - no other organization's accepted candidate is the same company (two drifted
///   organizations pointing at one company is the duplicate-name case again);
/// - no organization is already paired with that company (a second pair onto a company
///   is legitimate, but it is a decision for a person, not a bulk accept).
pub fn accept_suggestions(rec: &Reconciliation) -> Vec<Acceptance> {
    let candidates: Vec<Acceptance> = rec
        .organizations
        .iter()
        .filter(|r| r.state == State::Unmapped && r.in_source)
        .filter_map(|r| {
            let best = r.suggestions.first()?;
            if best.kind == SuggestionKind::Similar {
                return None;
            }
            let same_rank = r.suggestions.iter().filter(|s| s.kind == best.kind).count();
            (same_rank == 1).then(|| Acceptance {
                organization_id: r.id,
                organization: r.name.clone(),
                company: CompanyRef {
                    id: best.id,
                    name: best.name.clone(),
                },
                why: best.why.clone(),
            })
        })
        .collect();
    let mut wanted: HashMap<i64, usize> = HashMap::new();
    for a in &candidates {
        *wanted.entry(a.company.id).or_default() += 1;
    }
    let paired: HashSet<i64> = rec
        .mapping
        .organizations
        .values()
        .map(|e| e.company.id)
        .collect();
    candidates
        .into_iter()
        .filter(|a| wanted[&a.company.id] == 1 && !paired.contains(&a.company.id))
        .collect()
}

/// Pins `org_id` to `company` as a manual pair. `None` when the mapping already holds
/// exactly that manual pair.
pub fn pin(
    mapping: &mut Mapping,
    org_id: i64,
    org_name: &str,
    company: CompanyRef,
) -> Option<Change> {
    let entry = MappingEntry {
        name: org_name.to_string(),
        company: company.clone(),
        how: How::Manual,
    };
    let previous = mapping.organizations.insert(org_id, entry.clone());
    if previous.as_ref() == Some(&entry) {
        return None;
    }
    Some(Change::Pinned {
        organization_id: org_id,
        organization: org_name.to_string(),
        company,
        previous: previous.map(|p| p.company),
    })
}

/// Removes `org_id`'s pair (manual or auto). `None` when it had none.
pub fn unpin(mapping: &mut Mapping, org_id: i64) -> Option<Change> {
    mapping
        .organizations
        .remove(&org_id)
        .map(|e| Change::Removed {
            organization_id: org_id,
            organization: e.name,
            company: e.company,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(id: i64, name: &str) -> CompanyRef {
        CompanyRef {
            id,
            name: name.into(),
        }
    }

    #[test]
    fn pin_replaces_and_reports_and_repeats_as_no_change() {
        let mut m = Mapping::default();
        let first = pin(&mut m, 7, "Acme", company(1, "Acme Inc"));
        assert!(matches!(first, Some(Change::Pinned { previous: None, .. })));
        assert_eq!(pin(&mut m, 7, "Acme", company(1, "Acme Inc")), None);
        let second = pin(&mut m, 7, "Acme", company(2, "Acme Ltd")).unwrap();
        assert_eq!(
            second.to_string(),
            "pin organization 7 'Acme' to company 2 'Acme Ltd' (manual), replacing company 1 'Acme Inc'"
        );
        assert_eq!(m.organizations[&7].how, How::Manual);
    }

    #[test]
    fn pin_turns_an_auto_pair_manual() {
        let mut m = Mapping::default();
        m.organizations.insert(
            7,
            MappingEntry {
                name: "Acme".into(),
                company: company(1, "Acme"),
                how: How::Auto,
            },
        );
        assert!(pin(&mut m, 7, "Acme", company(1, "Acme")).is_some());
        assert_eq!(m.organizations[&7].how, How::Manual);
    }

    #[test]
    fn unpin_removes_once() {
        let mut m = Mapping::default();
        pin(&mut m, 7, "Acme", company(1, "Acme"));
        let removed = unpin(&mut m, 7).unwrap();
        assert_eq!(
            removed.to_string(),
            "remove the pair of organization 7 'Acme' with company 1 'Acme'"
        );
        assert_eq!(unpin(&mut m, 7), None);
    }
}
