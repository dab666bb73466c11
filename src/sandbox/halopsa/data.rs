//! The HaloPSA emulator's records and their seed: clients with a main site and a General
//! User each, ticket types tied to SLAs, SLA-scoped priorities, statuses (some scoped to a
//! ticket type), outcomes, agents, and a few months of ordinary tickets.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::sandbox::seed::Msp;

#[derive(Debug, Clone)]
pub struct Client {
    pub id: i64,
    pub name: String,
    pub inactive: bool,
    pub main_site_id: i64,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub client_id: i64,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub client_id: i64,
    pub site_id: i64,
    /// The client's "General User": what Halo files a ticket under when no user is given.
    pub general: bool,
}

#[derive(Debug, Clone)]
pub struct TicketType {
    pub id: i64,
    pub name: String,
    pub default_sla: i64,
    pub initial_status: i64,
    pub default_priority: i64,
    /// Enforces Category, Impact and Urgency with no defaults.
    pub mandatory: bool,
}

#[derive(Debug, Clone)]
pub struct Status {
    pub id: i64,
    pub name: String,
    pub shortname: String,
    /// Halo's `TStatus.type` (its meaning is not documented; kept for shape).
    pub kind: i64,
    pub sequence: i64,
    /// Setting this status closes the ticket.
    pub closes: bool,
    /// Only valid for this ticket type (None: every type).
    pub tickettype_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Sla {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Priority {
    /// Halo's `Policy.id` is a uuid; tickets use `priorityid`.
    pub uuid: String,
    pub priorityid: i64,
    pub slaid: i64,
    pub name: String,
    pub ishidden: bool,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: i64,
    pub outcome: String,
    pub buttonname: String,
    pub hidden: bool,
}

#[derive(Debug, Clone)]
pub struct Agent {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: i64,
    pub summary: String,
    pub details: String,
    pub details_html: Option<String>,
    pub client_id: i64,
    pub site_id: i64,
    pub user_id: i64,
    pub tickettype_id: i64,
    pub status_id: i64,
    pub priority_id: i64,
    pub sla_id: i64,
    pub third_party_id_string: Option<String>,
    pub category_1: Option<String>,
    pub impact: Option<i64>,
    pub urgency: Option<i64>,
    pub agent_id: Option<i64>,
    pub datecreated: OffsetDateTime,
    pub dateclosed: Option<OffsetDateTime>,
    pub hasbeenclosed: bool,
    /// Created through the API by the application's agent (the `no-read-back` fault hides
    /// these from it).
    pub by_api: bool,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub id: i64,
    pub ticket_id: i64,
    pub outcome: String,
    pub outcome_id: i64,
    pub note: String,
    pub note_html: Option<String>,
    pub hiddenfromuser: bool,
    pub sendemail: bool,
    pub new_status: Option<i64>,
    pub datetime: OffsetDateTime,
}

/// Everything the emulator holds.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub clients: Vec<Client>,
    pub sites: Vec<Site>,
    pub users: Vec<User>,
    pub ticket_types: Vec<TicketType>,
    pub statuses: Vec<Status>,
    pub slas: Vec<Sla>,
    pub priorities: Vec<Priority>,
    pub outcomes: Vec<Outcome>,
    pub agents: Vec<Agent>,
    pub tickets: BTreeMap<i64, Ticket>,
    pub actions: Vec<Action>,
    pub next_client: i64,
    pub next_site: i64,
    pub next_user: i64,
    pub next_ticket: i64,
    pub next_action: i64,
}

/// Seeded ids that tests and the PSA-neutral view refer to.
pub const STANDARD_SLA: i64 = 1;
pub const SECURITY_SLA: i64 = 3;
pub const HUNTRESS_TYPE: i64 = 21;
pub const ITIL_TYPE: i64 = 4;
pub const API_AGENT: i64 = 7;

/// Halo's default status names with ids that are deliberately not 1..n in order; the
/// emulator adds `status_id_offset` so clients cannot hard-code them.
/// (id, name, short name, type, closes, only for this ticket type)
type SeedStatus = (i64, &'static str, &'static str, i64, bool, Option<i64>);

const STATUSES: &[SeedStatus] = &[
    (1, "New", "New", 0, false, None),
    (2, "In Progress", "InProg", 0, false, None),
    (4, "Waiting on Customer", "Wait", 1, false, None),
    (
        21,
        "Remediation Pending",
        "RemPend",
        1,
        false,
        Some(HUNTRESS_TYPE),
    ),
    (
        22,
        "Remediation In Progress",
        "RemProg",
        0,
        false,
        Some(HUNTRESS_TYPE),
    ),
    (31, "Change Approved", "ChgOK", 0, false, Some(6)),
    (8, "Pending Closure", "PendCl", 2, false, None),
    (9, "Closed", "Closed", 3, true, None),
];

impl State {
    pub fn seeded(msp: &Msp, status_id_offset: i64, old_tickets: usize) -> State {
        let mut st = State {
            next_client: 12,
            next_site: 30,
            next_user: 60,
            next_ticket: 1000,
            next_action: 5000,
            ..State::default()
        };
        st.slas = vec![
            Sla {
                id: STANDARD_SLA,
                name: "Standard SLA".into(),
            },
            Sla {
                id: SECURITY_SLA,
                name: "Security Incident SLA".into(),
            },
        ];
        // The same names in both SLAs with different `priorityid`s: only SLA scoping
        // tells them apart.
        for (slaid, base) in [(STANDARD_SLA, 1), (SECURITY_SLA, 11)] {
            for (n, name) in ["Critical", "High", "Medium", "Low"].iter().enumerate() {
                st.priorities.push(Priority {
                    uuid: uuid_like(slaid * 100 + n as i64),
                    priorityid: base + n as i64,
                    slaid,
                    name: name.to_string(),
                    ishidden: false,
                });
            }
        }
        st.priorities.push(Priority {
            uuid: uuid_like(SECURITY_SLA * 100 + 9),
            priorityid: 19,
            slaid: SECURITY_SLA,
            name: "Legacy (hidden)".into(),
            ishidden: true,
        });
        st.statuses = STATUSES
            .iter()
            .enumerate()
            .map(|(i, (id, name, short, kind, closes, tt))| Status {
                id: id + status_id_offset,
                name: name.to_string(),
                shortname: short.to_string(),
                kind: *kind,
                sequence: i as i64 + 1,
                closes: *closes,
                tickettype_id: *tt,
            })
            .collect();
        let new = 1 + status_id_offset;
        let tt = |id, name: &str, sla, prio, mandatory| TicketType {
            id,
            name: name.to_string(),
            default_sla: sla,
            initial_status: new,
            default_priority: prio,
            mandatory,
        };
        st.ticket_types = vec![
            tt(1, "Incident", STANDARD_SLA, 3, false),
            tt(3, "Service Request", STANDARD_SLA, 4, false),
            tt(ITIL_TYPE, "ITIL Incident", STANDARD_SLA, 3, true),
            tt(6, "Change Request", STANDARD_SLA, 3, false),
            tt(HUNTRESS_TYPE, "Huntress Incident", SECURITY_SLA, 13, false),
        ];
        st.outcomes = [
            (1, "Update", false),
            (2, "Email User", false),
            (7, "Private Note", false),
            (8, "Resolved", false),
            (13, "Phone Call", false),
            (99, "Workflow (system)", true),
        ]
        .iter()
        .map(|(id, name, hidden)| Outcome {
            id: *id,
            outcome: name.to_string(),
            buttonname: name.to_string(),
            hidden: *hidden,
        })
        .collect();
        st.agents = vec![
            Agent {
                id: 1,
                name: "Admin".into(),
            },
            Agent {
                id: 3,
                name: "Jamie Technician".into(),
            },
            Agent {
                id: API_AGENT,
                name: "Huntress API Agent".into(),
            },
        ];
        for company in &msp.companies {
            st.add_client(&company.name, !company.active);
        }
        st.seed_old_tickets(old_tickets);
        st
    }

    /// A client with its main site and General User, as Halo's setup guides expect.
    pub fn add_client(&mut self, name: &str, inactive: bool) -> i64 {
        let id = self.next_client;
        self.next_client += 1;
        let site_id = self.next_site;
        self.next_site += 1;
        self.clients.push(Client {
            id,
            name: name.to_string(),
            inactive,
            main_site_id: site_id,
        });
        self.sites.push(Site {
            id: site_id,
            name: "Main".into(),
            client_id: id,
        });
        let user_id = self.next_user;
        self.next_user += 1;
        self.users.push(User {
            id: user_id,
            name: "General User".into(),
            client_id: id,
            site_id,
            general: true,
        });
        id
    }

    /// Ordinary tickets from the last few months (other integrations, technicians), so
    /// ticket lists page and marker scans have something to skip.
    fn seed_old_tickets(&mut self, count: usize) {
        let subjects = [
            "Printer offline on 2nd floor",
            "New starter laptop",
            "VPN drops every hour",
            "Mailbox full",
            "Huntress: suspicious scheduled task",
        ];
        let now = OffsetDateTime::now_utc();
        let closed = self.status_named("Closed");
        let active: Vec<(i64, i64)> = self
            .clients
            .iter()
            .filter(|c| !c.inactive)
            .map(|c| (c.id, c.main_site_id))
            .collect();
        if active.is_empty() {
            return;
        }
        for n in 0..count {
            let (client_id, site_id) = active[n % active.len()];
            let user_id = self.general_user(client_id).unwrap_or(0);
            let tt = [1, 3, HUNTRESS_TYPE, 1][n % 4];
            let ty = self.ticket_type(tt).cloned().expect("seed ticket type");
            let age = time::Duration::hours(((count - n) * 17) as i64);
            let is_closed = n % 3 == 0;
            let id = self.next_ticket;
            self.next_ticket += 1;
            let summary = subjects[n % subjects.len()].to_string();
            self.tickets.insert(
                id,
                Ticket {
                    id,
                    details: format!("{summary}. Reported by phone."),
                    details_html: None,
                    summary,
                    client_id,
                    site_id,
                    user_id,
                    tickettype_id: tt,
                    status_id: if is_closed { closed } else { ty.initial_status },
                    priority_id: ty.default_priority,
                    sla_id: ty.default_sla,
                    third_party_id_string: None,
                    category_1: None,
                    impact: None,
                    urgency: None,
                    agent_id: Some(3),
                    datecreated: now - age,
                    dateclosed: is_closed.then(|| now - age + time::Duration::hours(4)),
                    hasbeenclosed: is_closed,
                    by_api: false,
                },
            );
        }
    }

    /// Clients and sites are only ever appended with growing ids, so a binary search
    /// finds them (tens of thousands of clients at benchmark scale); a linear scan backs it
    /// up should that ever change.
    pub fn client(&self, id: i64) -> Option<&Client> {
        by_id(&self.clients, id, |c| c.id)
    }

    pub fn site(&self, id: i64) -> Option<&Site> {
        by_id(&self.sites, id, |s| s.id)
    }

    pub fn ticket_type(&self, id: i64) -> Option<&TicketType> {
        self.ticket_types.iter().find(|t| t.id == id)
    }

    pub fn status(&self, id: i64) -> Option<&Status> {
        self.statuses.iter().find(|s| s.id == id)
    }

    pub fn status_named(&self, name: &str) -> i64 {
        self.statuses
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id)
            .unwrap_or(0)
    }

    pub fn general_user(&self, client_id: i64) -> Option<i64> {
        self.users
            .iter()
            .find(|u| u.client_id == client_id && u.general)
            .map(|u| u.id)
    }

    pub fn priority(&self, slaid: i64, priorityid: i64) -> Option<&Priority> {
        self.priorities
            .iter()
            .find(|p| p.slaid == slaid && p.priorityid == priorityid)
    }

    /// Statuses a ticket of this type may take.
    pub fn status_allowed(&self, status: &Status, tickettype_id: i64) -> bool {
        status.tickettype_id.is_none_or(|t| t == tickettype_id)
    }
}

/// Halo dates: UTC, no offset, milliseconds (`2024-05-01T10:00:00.123`).
pub fn halo_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

fn uuid_like(n: i64) -> String {
    format!("6f1c2a9e-40b1-4c5d-9e{:02}-{:012x}", n % 100, n * 7919)
}

/// A number that is a whole value, written as a double (`12.0`) in the `double-ids` mode.
pub fn maybe_double(n: i64, double: bool) -> Value {
    if double { json!(n as f64) } else { json!(n) }
}

impl Client {
    pub fn json(&self, st: &State) -> Value {
        let site = st.site(self.main_site_id);
        json!({
            "id": self.id,
            "name": self.name,
            "inactive": self.inactive,
            "toplevel_id": 1,
            "toplevel_name": "Customers",
            "main_site_id": self.main_site_id,
            "main_site_name": site.map(|s| s.name.as_str()),
            "is_vip": false,
            "colour": "#2b78e4",
        })
    }
}

impl Site {
    pub fn json(&self, st: &State, double: bool) -> Value {
        let client = st.client(self.client_id);
        json!({
            "id": self.id,
            "name": self.name,
            "client_id": maybe_double(self.client_id, double),
            "client_name": client.map(|c| c.name.as_str()),
            "clientsite_name": client.map(|c| format!("{} - {}", c.name, self.name)),
            "inactive": false,
        })
    }
}

impl User {
    pub fn json(&self, st: &State, double: bool) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "site_id": maybe_double(self.site_id, double),
            "site_name": st.site(self.site_id).map(|s| s.name.as_str()),
            "client_id": self.client_id,
            "client_name": st.client(self.client_id).map(|c| c.name.as_str()),
            "emailaddress": "",
            "inactive": false,
        })
    }
}

impl TicketType {
    pub fn json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "use": "fault",
            "visible": true,
            "initial_status": self.initial_status,
            "default_sla": self.default_sla,
            "default_priority": self.default_priority,
        })
    }
}

impl Status {
    pub fn json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "shortname": self.shortname,
            "type": self.kind,
            "sequence": self.sequence,
            "colour": "#6aa84f",
        })
    }
}

impl Priority {
    pub fn json(&self) -> Value {
        json!({
            "id": self.uuid,
            "priorityid": self.priorityid,
            "slaid": self.slaid,
            "name": self.name,
            "ishidden": self.ishidden,
            "colour": "#cc0000",
            "fixtime": 8.0,
            "responsetime": 1.0,
        })
    }
}

impl Outcome {
    pub fn json(&self) -> Value {
        json!({
            "id": self.id,
            "outcome": self.outcome,
            "buttonname": self.buttonname,
            "hidden": self.hidden,
            "sequence": self.id,
        })
    }
}

impl Sla {
    pub fn json(&self) -> Value {
        json!({"id": self.id, "name": self.name})
    }
}

impl Agent {
    pub fn json(&self) -> Value {
        json!({"id": self.id, "name": self.name, "isdisabled": false})
    }
}

impl Ticket {
    /// The ticket as Halo returns it; `lean` keeps only the columns of a minimal list view.
    pub fn json(&self, st: &State, lean: bool) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert("summary".into(), json!(self.summary));
        m.insert("client_id".into(), json!(self.client_id));
        m.insert(
            "client_name".into(),
            json!(st.client(self.client_id).map(|c| c.name.as_str())),
        );
        m.insert("status_id".into(), json!(self.status_id));
        m.insert("tickettype_id".into(), json!(self.tickettype_id));
        m.insert("datecreated".into(), json!(halo_date(self.datecreated)));
        m.insert("dateoccurred".into(), json!(halo_date(self.datecreated)));
        m.insert("hasbeenclosed".into(), json!(self.hasbeenclosed));
        if lean {
            return Value::Object(m);
        }
        let status = st.status(self.status_id);
        let extra = json!({
            "details": self.details,
            "details_html": self.details_html,
            "site_id": self.site_id,
            "user_id": self.user_id,
            "user_name": st.users.iter().find(|u| u.id == self.user_id).map(|u| u.name.as_str()),
            "status_name": status.map(|s| s.name.as_str()),
            "tickettype_name": st.ticket_type(self.tickettype_id).map(|t| t.name.as_str()),
            "priority_id": self.priority_id,
            "priority_name": st.priority(self.sla_id, self.priority_id).map(|p| p.name.as_str()),
            "sla_id": self.sla_id,
            "third_party_id_string": self.third_party_id_string,
            "category_1": self.category_1,
            "impact": self.impact,
            "urgency": self.urgency,
            "agent_id": self.agent_id,
            "dateclosed": self.dateclosed.map(halo_date),
            "inactive": false,
            "deleted": false,
        });
        if let Value::Object(extra) = extra {
            m.extend(extra);
        }
        Value::Object(m)
    }
}

impl Action {
    pub fn json(&self) -> Value {
        json!({
            "id": self.id,
            "ticket_id": self.ticket_id,
            "outcome": self.outcome,
            "outcome_id": self.outcome_id,
            "note": self.note,
            "note_html": self.note_html,
            "hiddenfromuser": self.hiddenfromuser,
            "sendemail": self.sendemail,
            "new_status": self.new_status,
            "datetime": halo_date(self.datetime),
            "who_agentid": API_AGENT,
            "actionby_application_id": super::CLIENT_ID,
        })
    }
}

/// The record with this id in a list kept in id order (see [`State::client`]).
fn by_id<T>(items: &[T], id: i64, id_of: impl Fn(&T) -> i64) -> Option<&T> {
    match items.binary_search_by_key(&id, &id_of) {
        Ok(i) => items.get(i),
        Err(_) => items.iter().find(|t| id_of(t) == id),
    }
}
