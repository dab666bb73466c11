//! Sensible status and priority maps proposed at `integration add`, read off the PSA's own
//! lists by name (and the closed flag where the PSA has one). A technician reviews them
//! with `status-map list` / `priority-map list` and changes any with `... set`.

use std::collections::BTreeMap;

use crate::lifecycle::LifecycleEvent;
use crate::psa::Choice;
use crate::source::Severity;
use crate::store::Named;

fn named(c: &Choice) -> Named {
    Named {
        id: c.id.clone(),
        name: c.name.clone(),
    }
}

fn lower(c: &Choice) -> String {
    c.name.trim().to_lowercase()
}

/// The first choice whose lower-cased name satisfies one of the tests, tried in order.
fn first_match<'a>(choices: &'a [Choice], tests: &[&dyn Fn(&str) -> bool]) -> Option<&'a Choice> {
    tests
        .iter()
        .find_map(|t| choices.iter().find(|c| t(&lower(c))))
}

/// created / remediation-approved / remediation-rejected / resolved; `dismissed` is left
/// unset so it follows `resolved` (SPEC §2).
pub fn propose_status_map(statuses: &[Choice]) -> BTreeMap<LifecycleEvent, Named> {
    let open: Vec<Choice> = statuses
        .iter()
        .filter(|c| c.closed != Some(true))
        .cloned()
        .collect();
    let closed: Vec<Choice> = statuses
        .iter()
        .filter(|c| c.closed == Some(true))
        .cloned()
        .collect();
    let mut map = BTreeMap::new();

    let created = first_match(&open, &[&|n| n == "new", &|n| n.starts_with("new")])
        .or_else(|| open.iter().find(|c| c.default))
        .or_else(|| open.first());
    if let Some(c) = created {
        map.insert(LifecycleEvent::Created, named(c));
    }
    // A ticket type built for security work names its remediation states: prefer them
    // to the generic "In Progress".
    let in_progress = |n: &str| n == "in progress" || n.contains("in progress");
    let remediation = |n: &str| n.contains("remediat");
    if let Some(c) = first_match(
        &open,
        &[
            &|n| remediation(n) && n.contains("approv"),
            &|n| remediation(n) && n.contains("in progress"),
            &|n| n.contains("approved"),
            &|n| remediation(n) && n.contains("pending"),
            &|n| remediation(n) && !n.contains("reject"),
            &in_progress,
        ],
    ) {
        map.insert(LifecycleEvent::RemediationApproved, named(c));
    }
    if let Some(c) = first_match(
        &open,
        &[
            &|n| remediation(n) && n.contains("reject"),
            &|n| n.contains("rejected"),
            &|n| remediation(n) && n.contains("pending"),
            &in_progress,
        ],
    ) {
        map.insert(LifecycleEvent::RemediationRejected, named(c));
    }
    let resolved_name = |n: &str| n == "resolved" || n.contains("resolved");
    let closed_name = |n: &str| n == "closed" || n.contains("closed") || n.contains("complete");
    let resolved = first_match(&closed, &[&resolved_name, &closed_name])
        .or_else(|| closed.first())
        .or_else(|| first_match(statuses, &[&resolved_name, &closed_name]));
    if let Some(c) = resolved {
        map.insert(LifecycleEvent::Resolved, named(c));
    }
    map
}

/// low / high / critical, matched by the usual names (Huntress has no medium).
pub fn propose_priority_map(priorities: &[Choice]) -> BTreeMap<Severity, Named> {
    let mut map = BTreeMap::new();
    let critical = first_match(
        priorities,
        &[
            &|n| n.contains("critical"),
            &|n| n.contains("emergency"),
            &|n| n.contains("urgent"),
            &|n| n.starts_with("p1") || n.starts_with("priority 1"),
        ],
    );
    let high = first_match(
        priorities,
        &[&|n| n == "high" || n.contains("high"), &|n| {
            n.starts_with("p2") || n.starts_with("priority 2")
        }],
    );
    let low = first_match(
        priorities,
        &[
            &|n| n == "low" || n.contains("low"),
            &|n| n.starts_with("p4") || n.starts_with("priority 4"),
            &|n| n.starts_with("p3") || n.starts_with("priority 3"),
        ],
    );
    for (severity, choice) in [
        (Severity::Critical, critical),
        (Severity::High, high),
        (Severity::Low, low),
    ] {
        if let Some(c) = choice {
            map.insert(severity, named(c));
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(id: i64, name: &str, closed: bool) -> Choice {
        Choice {
            closed: Some(closed),
            ..Choice::new(id, name)
        }
    }

    #[test]
    fn statuses_are_proposed_by_name_and_closed_flag() {
        let statuses = vec![
            status(11, "New", false),
            status(12, "In Progress", false),
            status(13, "Remediation Approved", false),
            status(19, "Closed", true),
            status(18, "Resolved", true),
        ];
        let map = propose_status_map(&statuses);
        assert_eq!(map[&LifecycleEvent::Created].name, "New");
        assert_eq!(
            map[&LifecycleEvent::RemediationApproved].name,
            "Remediation Approved"
        );
        assert_eq!(
            map[&LifecycleEvent::RemediationRejected].name,
            "In Progress"
        );
        assert_eq!(map[&LifecycleEvent::Resolved].id, "18");
        assert!(
            !map.contains_key(&LifecycleEvent::Dismissed),
            "dismissed follows resolved"
        );
    }

    #[test]
    fn remediation_statuses_are_preferred_to_in_progress() {
        let statuses = vec![
            status(1, "New", false),
            status(2, "In Progress", false),
            status(3, "Remediation Pending", false),
            status(4, "Remediation In Progress", false),
            status(9, "Closed", true),
        ];
        let map = propose_status_map(&statuses);
        assert_eq!(
            map[&LifecycleEvent::RemediationApproved].name,
            "Remediation In Progress"
        );
        assert_eq!(
            map[&LifecycleEvent::RemediationRejected].name,
            "Remediation Pending"
        );

        let with_rejected = vec![
            status(2, "In Progress", false),
            status(5, "Rejected", false),
            status(6, "Remediation Approved", false),
            status(3, "Remediation Pending", false),
        ];
        let map = propose_status_map(&with_rejected);
        assert_eq!(
            map[&LifecycleEvent::RemediationApproved].name,
            "Remediation Approved"
        );
        assert_eq!(map[&LifecycleEvent::RemediationRejected].name, "Rejected");

        let only_pending = vec![
            status(2, "In Progress", false),
            status(3, "Remediation Pending", false),
        ];
        let map = propose_status_map(&only_pending);
        assert_eq!(
            map[&LifecycleEvent::RemediationApproved].name,
            "Remediation Pending",
            "a remediation status beats the generic one"
        );
    }

    #[test]
    fn without_remediation_statuses_in_progress_is_proposed() {
        let statuses = vec![status(1, "New", false), status(2, "In Progress", false)];
        let map = propose_status_map(&statuses);
        assert_eq!(
            map[&LifecycleEvent::RemediationApproved].name,
            "In Progress"
        );
        assert_eq!(
            map[&LifecycleEvent::RemediationRejected].name,
            "In Progress"
        );
    }

    #[test]
    fn a_psa_without_closed_flags_still_gets_a_resolved_status() {
        let statuses = vec![
            Choice::new(1, "New"),
            Choice::new(2, "In Progress"),
            Choice::new(9, "Closed"),
        ];
        let map = propose_status_map(&statuses);
        assert_eq!(map[&LifecycleEvent::Resolved].name, "Closed");
        assert_eq!(map[&LifecycleEvent::Created].name, "New");
    }

    #[test]
    fn priorities_are_proposed_by_name() {
        let priorities = vec![
            Choice::new(4, "Priority 4 - Low"),
            Choice::new(7, "Priority 2 - High"),
            Choice::new(1, "Priority 1 - Critical"),
            Choice::new(3, "Priority 3 - Medium"),
        ];
        let map = propose_priority_map(&priorities);
        assert_eq!(map[&Severity::Critical].id, "1");
        assert_eq!(map[&Severity::High].id, "7");
        assert_eq!(map[&Severity::Low].id, "4");
    }

    #[test]
    fn unknown_names_leave_the_map_unset() {
        assert!(
            propose_priority_map(&[Choice::new(1, "Gold"), Choice::new(2, "Silver")]).is_empty()
        );
    }
}
