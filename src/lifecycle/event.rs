use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The lifecycle events that move a ticket's status (SPEC §2 "status map").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LifecycleEvent {
    Created,
    RemediationApproved,
    RemediationRejected,
    Resolved,
    Dismissed,
}

impl LifecycleEvent {
    pub const ALL: [LifecycleEvent; 5] = [
        LifecycleEvent::Created,
        LifecycleEvent::RemediationApproved,
        LifecycleEvent::RemediationRejected,
        LifecycleEvent::Resolved,
        LifecycleEvent::Dismissed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleEvent::Created => "created",
            LifecycleEvent::RemediationApproved => "remediation-approved",
            LifecycleEvent::RemediationRejected => "remediation-rejected",
            LifecycleEvent::Resolved => "resolved",
            LifecycleEvent::Dismissed => "dismissed",
        }
    }

    /// Whether tickets in this state are finished.
    pub fn is_terminal(self) -> bool {
        matches!(self, LifecycleEvent::Resolved | LifecycleEvent::Dismissed)
    }
}

impl fmt::Display for LifecycleEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LifecycleEvent {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        LifecycleEvent::ALL.into_iter().find(|e| e.as_str() == norm).ok_or_else(|| {
            format!(
                "unknown event '{s}' (expected one of created, remediation-approved, remediation-rejected, resolved, dismissed)"
            )
        })
    }
}
