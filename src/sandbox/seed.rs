//! One realistic MSP, shared by the Huntress emulator and every PSA emulator, so that the
//! organizations in the source and the companies in the PSA line up the way they do in
//! the field: mostly exact, some drifted, some duplicated, some missing.

use crate::source::Severity;

/// A Huntress organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedOrg {
    pub id: i64,
    pub name: String,
    pub key: String,
}

/// A PSA customer record. Emulators assign their own ids in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedCompany {
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedAgent {
    pub id: i64,
    pub organization_id: i64,
    pub hostname: String,
    pub platform: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRemediation {
    pub id: i64,
    /// assisted | manual | containment
    pub kind: &'static str,
    pub action: String,
    pub parameters: Vec<(String, String)>,
    /// unapproved | approved | completed | failed | cancelled
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedIncident {
    pub id: i64,
    pub organization_id: i64,
    pub agent_id: Option<i64>,
    pub platform: &'static str,
    pub severity: Severity,
    /// sent | closed | dismissed | auto_remediating | deleting | partner_dismissed
    pub status: &'static str,
    pub indicator_types: Vec<&'static str>,
    pub summary: String,
    pub body: String,
    /// For incidents without an agent: the identity or platform the title names.
    pub subject_target: Option<String>,
    pub remediations: Vec<SeedRemediation>,
    /// Minutes before "now" the incident was sent.
    pub age_minutes: i64,
}

/// The MSP's world: its own company (the default client for unmapped organizations), its
/// customers as Huntress organizations and as PSA companies, agents and incidents.
#[derive(Debug, Clone)]
pub struct Msp {
    /// The MSP's own company in the PSA (first company, id order).
    pub msp_company: String,
    pub organizations: Vec<SeedOrg>,
    pub companies: Vec<SeedCompany>,
    pub agents: Vec<SeedAgent>,
    pub incidents: Vec<SeedIncident>,
}

/// Exactly matching names on both sides.
const EXACT: &[&str] = &[
    "Able Moose Accounting",
    "Adventure Works Cycles",
    "Alpine Ski House",
    "Blue Yonder Airlines",
    "City Power & Light",
    "Coho Winery",
    "Consolidated Messenger",
    "Contoso Ltd",
    "Fabrikam Inc",
    "Fourth Coffee",
    "Graphic Design Institute",
    "Humongous Insurance",
    "Lamna Healthcare",
    "Litware Inc",
    "Lucerne Publishing",
    "Margie's Travel",
    "Northwind Traders",
    "Proseware LLC",
    "Relecloud",
    "School of Fine Art",
    "Southridge Video",
    "Tailspin Toys",
    "Trey Research",
    "VanArsdel Ltd",
    "Wide World Importers",
    "Wingtip Toys",
    "Woodgrove Bank",
    "Datum Corporation",
];

/// (Huntress organization name, PSA company name): the drift cases of the seed article.
const DRIFT: &[(&str, &str)] = &[
    ("Acme Widgets Inc", "Acme Widgets Inc."),
    ("O'Brien Plumbing", "O\u{2019}Brien Plumbing"),
    ("Kangaroo Logistics", "Kangaroo Logistics Pty Ltd"),
    ("bluebird dental", "Bluebird Dental"),
    ("Summit Physiotherapy", "Summit Physiotherapy "),
    ("Greenfield Sons, LLC", "Greenfield Sons LLC"),
    ("Harbour View Legal Limited", "Harbour View Legal Ltd"),
];

impl Msp {
    /// The standard sandbox MSP: a few dozen organizations covering every mapping case,
    /// and open incidents of every severity.
    pub fn standard() -> Msp {
        let mut organizations = Vec::new();
        let mut companies = vec![SeedCompany {
            name: "Northwind MSP (Internal)".into(),
            active: true,
        }];
        let mut next_org = 100;
        let mut org = |name: &str, organizations: &mut Vec<SeedOrg>| {
            next_org += 1;
            organizations.push(SeedOrg {
                id: next_org,
                name: name.to_string(),
                key: org_key(name, next_org),
            });
            next_org
        };
        for name in EXACT {
            org(name, &mut organizations);
            companies.push(SeedCompany {
                name: name.to_string(),
                active: true,
            });
        }
        for (huntress, psa) in DRIFT {
            org(huntress, &mut organizations);
            companies.push(SeedCompany {
                name: psa.to_string(),
                active: true,
            });
        }
        // Two Huntress organizations with one name (agents deployed from two RMMs).
        org("Riverside Clinic", &mut organizations);
        org("Riverside Clinic", &mut organizations);
        companies.push(SeedCompany {
            name: "Riverside Clinic".into(),
            active: true,
        });
        // Two active PSA companies with one name.
        org("Metro Dental", &mut organizations);
        companies.push(SeedCompany {
            name: "Metro Dental".into(),
            active: true,
        });
        companies.push(SeedCompany {
            name: "Metro Dental".into(),
            active: true,
        });
        // The only matching company is inactive.
        org("Old Mill Bakery", &mut organizations);
        companies.push(SeedCompany {
            name: "Old Mill Bakery".into(),
            active: false,
        });
        // No company at all yet.
        org("Newco Startup", &mut organizations);
        // PSA-only records (prospects, vendors).
        for name in [
            "Prospect: Evergreen Farms",
            "Vendor - Pax8",
            "Sunrise Yoga Studio",
        ] {
            companies.push(SeedCompany {
                name: name.into(),
                active: true,
            });
        }

        let mut agents = Vec::new();
        let mut next_agent = 5000;
        for o in &organizations {
            for n in 1..=2 {
                next_agent += 1;
                agents.push(SeedAgent {
                    id: next_agent,
                    organization_id: o.id,
                    hostname: format!(
                        "{}-{}{n:02}",
                        host_prefix(&o.name),
                        if n == 1 { "DC" } else { "WS" }
                    ),
                    platform: if n == 1 { "windows" } else { "darwin" },
                });
            }
        }
        let org_id = |name: &str| {
            organizations
                .iter()
                .find(|o| o.name == name)
                .map(|o| o.id)
                .expect("seed org")
        };
        let agent_of = |org: i64, n: usize| {
            agents
                .iter()
                .filter(|a| a.organization_id == org)
                .nth(n)
                .expect("seed agent")
                .id
        };

        let mut incidents = Vec::new();
        let mut next_incident = 90_000;
        let mut next_remediation = 700;
        let mut incident = |org_name: &str,
                            agent: Option<usize>,
                            platform: &'static str,
                            severity: Severity,
                            status: &'static str,
                            indicators: Vec<&'static str>,
                            remediation_statuses: &[&'static str],
                            subject_target: Option<&str>,
                            age_minutes: i64| {
            next_incident += 1;
            let oid = org_id(org_name);
            // "status" is an assisted remediation; "type:status" names another type.
            let remediations = remediation_statuses
                .iter()
                .map(|spec| {
                    next_remediation += 1;
                    let (kind, status) = spec.split_once(':').unwrap_or(("assisted", spec));
                    seed_remediation(next_remediation, kind, status)
                })
                .collect();
            incidents.push(SeedIncident {
                id: next_incident,
                organization_id: oid,
                agent_id: agent.map(|n| agent_of(oid, n)),
                platform,
                severity,
                status,
                indicator_types: indicators.clone(),
                summary: format!(
                    "The Huntress SOC found {} on this host and recommends the remediations below.",
                    indicators.join(", ").replace('_', " ")
                ),
                body: format!(
                    "Indicators: {}.\nA persistence mechanism was created by an unsigned binary.",
                    indicators.join(", ")
                ),
                subject_target: subject_target.map(str::to_string),
                remediations,
                age_minutes,
            });
        };
        use Severity::*;
        incident(
            "Able Moose Accounting",
            Some(0),
            "windows",
            Critical,
            "sent",
            vec!["footholds", "process_detections"],
            &["unapproved", "unapproved"],
            None,
            240,
        );
        incident(
            "Contoso Ltd",
            Some(1),
            "darwin",
            High,
            "sent",
            vec!["monitored_files"],
            &["unapproved"],
            None,
            200,
        );
        incident(
            "Fabrikam Inc",
            Some(0),
            "windows",
            Low,
            "sent",
            vec!["antivirus_detections"],
            &[],
            None,
            180,
        );
        incident(
            "Northwind Traders",
            Some(0),
            "windows",
            High,
            "sent",
            vec!["ransomware_canaries"],
            &["approved"],
            None,
            170,
        );
        incident(
            "Tailspin Toys",
            None,
            "microsoft_365",
            High,
            "sent",
            vec!["managed_identity"],
            &[],
            Some("jdoe@tailspintoys.example"),
            160,
        );
        incident(
            "Woodgrove Bank",
            Some(1),
            "windows",
            Critical,
            "auto_remediating",
            vec!["footholds"],
            &["approved", "completed"],
            None,
            150,
        );
        incident(
            "Acme Widgets Inc",
            Some(0),
            "windows",
            High,
            "sent",
            vec!["footholds"],
            &["unapproved"],
            None,
            140,
        );
        incident(
            "Kangaroo Logistics",
            None,
            "other",
            Low,
            "sent",
            vec!["siem_detections"],
            &[],
            None,
            130,
        );
        incident(
            "Newco Startup",
            Some(0),
            "windows",
            Critical,
            "sent",
            vec!["process_detections"],
            &["unapproved"],
            None,
            120,
        );
        incident(
            "Litware Inc",
            Some(1),
            "linux",
            Low,
            "sent",
            vec!["behavioral_detections"],
            &["cancelled"],
            None,
            110,
        );
        incident(
            "Alpine Ski House",
            Some(0),
            "windows",
            High,
            "closed",
            vec!["footholds"],
            &["completed"],
            None,
            2000,
        );
        incident(
            "Coho Winery",
            Some(0),
            "windows",
            Low,
            "dismissed",
            vec!["antivirus_detections"],
            &[],
            None,
            1900,
        );
        incident(
            "Relecloud",
            None,
            "google",
            High,
            "sent",
            vec!["managed_identity"],
            &[],
            Some("Google Workspace"),
            90,
        );
        incident(
            "Trey Research",
            Some(1),
            "windows",
            Critical,
            "sent",
            vec!["ransomware_canaries", "footholds"],
            &["unapproved", "approved"],
            None,
            60,
        );
        incident(
            "Wingtip Toys",
            Some(0),
            "windows",
            Low,
            "partner_dismissed",
            vec!["monitored_files"],
            &[],
            None,
            1500,
        );
        // Being deleted by Huntress: psa-link leaves it alone.
        incident(
            "Lamna Healthcare",
            Some(0),
            "windows",
            High,
            "deleting",
            vec!["antivirus_detections"],
            &[],
            None,
            1400,
        );
        // A host isolated, then a manual step and a containment that failed.
        incident(
            "Lucerne Publishing",
            Some(0),
            "windows",
            Critical,
            "closed",
            vec!["ransomware_canaries"],
            &[
                "containment:completed",
                "manual:completed",
                "containment:failed",
            ],
            None,
            1300,
        );

        Msp {
            msp_company: "Northwind MSP (Internal)".into(),
            organizations,
            companies,
            agents,
            incidents,
        }
    }

    /// A large MSP for benchmarks: `orgs` organizations, `companies` PSA companies, and
    /// `incidents` open incidents spread over the organizations. Most organizations have an
    /// exact company; a small share exercises the other paths, per hundred organizations:
    /// five drifted names (`Pty Ltd`, case, trailing space, `Inc` vs `Inc.`, in turn), one
    /// whose only company is inactive, one pair of organizations sharing a name (one
    /// company), and one organization whose name two companies share.
    pub fn generated(orgs: usize, companies: usize, incidents: usize) -> Msp {
        let mut out = Msp {
            msp_company: "Northwind MSP (Internal)".into(),
            organizations: Vec::with_capacity(orgs),
            companies: Vec::with_capacity(companies.max(orgs) + 1),
            agents: Vec::with_capacity(orgs),
            incidents: Vec::with_capacity(incidents),
        };
        out.companies.push(SeedCompany {
            name: out.msp_company.clone(),
            active: true,
        });
        for i in 0..orgs {
            let id = 100_000 + i as i64;
            let (name, psa_names, active) = generated_case(i);
            out.organizations.push(SeedOrg {
                id,
                name,
                key: format!("customer{i:05}"),
            });
            for psa_name in psa_names {
                out.companies.push(SeedCompany {
                    name: psa_name,
                    active,
                });
            }
            out.agents.push(SeedAgent {
                id: 500_000 + i as i64,
                organization_id: id,
                hostname: format!("C{i:05}-WS01"),
                platform: "windows",
            });
        }
        let mut extra = 0;
        while out.companies.len() < companies + 1 {
            out.companies.push(SeedCompany {
                name: format!("Prospect {extra:06}"),
                active: extra % 10 != 0,
            });
            extra += 1;
        }
        let severities = [Severity::Low, Severity::High, Severity::Critical];
        for n in 0..incidents {
            let org = &out.organizations[n % orgs.max(1)];
            out.incidents.push(SeedIncident {
                id: 1_000_000 + n as i64,
                organization_id: org.id,
                agent_id: Some(500_000 + (n % orgs.max(1)) as i64),
                platform: "windows",
                severity: severities[n % 3],
                status: "sent",
                indicator_types: vec!["footholds"],
                summary: "A persistence mechanism was found.".into(),
                body: "Scheduled task created by an unsigned binary.".into(),
                subject_target: None,
                remediations: Vec::new(),
                age_minutes: (incidents - n) as i64,
            });
        }
        out
    }

    pub fn hostname(&self, agent_id: i64) -> Option<&str> {
        self.agents
            .iter()
            .find(|a| a.id == agent_id)
            .map(|a| a.hostname.as_str())
    }

    pub fn organization(&self, id: i64) -> Option<&SeedOrg> {
        self.organizations.iter().find(|o| o.id == id)
    }
}

/// The `i`th generated organization's name, its PSA companies' names and whether they
/// are active (see [`Msp::generated`]).
fn generated_case(i: usize) -> (String, Vec<String>, bool) {
    let name = format!("Customer {i:05} Holdings");
    match (i % 20, i % 100) {
        (7, _) => match (i / 20) % 4 {
            0 => (name.clone(), vec![format!("{name} Pty Ltd")], true),
            1 => (name.clone(), vec![name.to_uppercase()], true),
            2 => (name.clone(), vec![format!("{name} ")], true),
            _ => (format!("{name} Inc"), vec![format!("{name} Inc.")], true),
        },
        (_, 41) => (name.clone(), vec![name], false),
        // Shares the previous organization's name (and its company).
        (_, 59) => (format!("Customer {:05} Holdings", i - 1), Vec::new(), true),
        (_, 83) => (name.clone(), vec![name.clone(), name], true),
        _ => (name.clone(), vec![name], true),
    }
}

/// One remediation of the seed, shaped like the API's three types.
fn seed_remediation(id: i64, kind: &'static str, status: &'static str) -> SeedRemediation {
    let (kind, action, parameters) = match kind {
        "manual" => (
            "manual",
            "Remove the rogue browser extension by hand",
            Vec::new(),
        ),
        "containment" => (
            "containment",
            "Isolate Host",
            vec![("host".to_string(), format!("isolation request {id}"))],
        ),
        _ => (
            "assisted",
            "Delete Scheduled Task",
            vec![(
                "path".to_string(),
                format!("c:\\windows\\system32\\tasks\\updater_{id}"),
            )],
        ),
    };
    SeedRemediation {
        id,
        kind,
        action: action.into(),
        parameters,
        status,
    }
}

fn org_key(name: &str, id: i64) -> String {
    let base: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .flat_map(char::to_lowercase)
        .take(16)
        .collect();
    format!("{base}{id}")
}

fn host_prefix(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_ascii_alphabetic()))
        .map(|c| c.to_ascii_uppercase())
        .take(4)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_msp_covers_the_mapping_cases() {
        let msp = Msp::standard();
        assert!(msp.organizations.len() >= 36, "dozens of organizations");
        let riverside = msp
            .organizations
            .iter()
            .filter(|o| o.name == "Riverside Clinic")
            .count();
        assert_eq!(riverside, 2, "duplicate organization names");
        let metro = msp
            .companies
            .iter()
            .filter(|c| c.name == "Metro Dental" && c.active)
            .count();
        assert_eq!(metro, 2, "duplicate company names");
        assert!(
            msp.companies
                .iter()
                .any(|c| c.name == "Able Moose Accounting")
        );
        assert!(
            msp.companies.iter().any(|c| c.name.ends_with(' ')),
            "trailing-space drift"
        );
        for sev in Severity::ALL {
            assert!(
                msp.incidents
                    .iter()
                    .any(|i| i.severity == sev && i.status == "sent"),
                "open {sev}"
            );
        }
        assert!(
            msp.incidents.iter().any(|i| i.agent_id.is_none()),
            "agentless incident"
        );
        let ids: std::collections::BTreeSet<i64> = msp.organizations.iter().map(|o| o.id).collect();
        assert_eq!(
            ids.len(),
            msp.organizations.len(),
            "organization ids are unique"
        );
    }

    #[test]
    fn generated_msp_has_the_requested_size() {
        let msp = Msp::generated(50, 400, 30);
        assert_eq!(msp.organizations.len(), 50);
        assert_eq!(msp.companies.len(), 401);
        assert_eq!(msp.incidents.len(), 30);
    }

    #[test]
    fn generated_msp_has_drift_duplicates_and_inactive_companies() {
        let msp = Msp::generated(1000, 1001, 0);
        let company_names: std::collections::BTreeSet<&str> =
            msp.companies.iter().map(|c| c.name.as_str()).collect();
        let drifted = msp
            .organizations
            .iter()
            .filter(|o| !company_names.contains(o.name.as_str()))
            .count();
        assert_eq!(drifted, 50, "5% drifted");
        for (what, ends) in [
            ("Pty Ltd", " Pty Ltd"),
            ("trailing space", " "),
            ("Inc.", " Inc."),
        ] {
            assert!(
                msp.companies.iter().any(|c| c.name.ends_with(ends)),
                "{what} drift"
            );
        }
        assert!(msp.companies.iter().any(|c| c.name.starts_with("CUSTOMER")));
        let inactive = msp
            .companies
            .iter()
            .filter(|c| !c.active && c.name.starts_with("Customer"))
            .count();
        assert_eq!(inactive, 10, "1% only with an inactive company");
        let mut org_names = std::collections::BTreeMap::<&str, usize>::new();
        for o in &msp.organizations {
            *org_names.entry(o.name.as_str()).or_default() += 1;
        }
        assert_eq!(org_names.values().filter(|n| **n == 2).count(), 10);
        let mut companies = std::collections::BTreeMap::<&str, usize>::new();
        for c in &msp.companies {
            *companies.entry(c.name.as_str()).or_default() += 1;
        }
        assert_eq!(companies.values().filter(|n| **n == 2).count(), 10);
    }

    #[test]
    fn standard_msp_has_every_incident_status_severity_and_remediation_kind() {
        let msp = Msp::standard();
        for status in [
            "sent",
            "closed",
            "dismissed",
            "auto_remediating",
            "deleting",
            "partner_dismissed",
        ] {
            assert!(
                msp.incidents.iter().any(|i| i.status == status),
                "status {status}"
            );
        }
        for sev in Severity::ALL {
            assert!(msp.incidents.iter().any(|i| i.severity == sev), "{sev}");
        }
        let remediations: Vec<&SeedRemediation> =
            msp.incidents.iter().flat_map(|i| &i.remediations).collect();
        for kind in ["assisted", "manual", "containment"] {
            assert!(remediations.iter().any(|r| r.kind == kind), "type {kind}");
        }
        for status in ["unapproved", "approved", "completed", "failed", "cancelled"] {
            assert!(
                remediations.iter().any(|r| r.status == status),
                "remediation status {status}"
            );
        }
    }
}
