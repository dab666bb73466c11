//! Command-line arguments naming an organization or a company (by id or exact name), and
//! the order of companies in the searchable picker.

use std::collections::HashMap;

use super::index::Suggestion;
use crate::lookup::{self, LookupError};
use crate::psa::Company;
use crate::source::Organization;
use crate::store::Mapping;

/// The source organization `query` names: its id, else its name byte for byte (see
/// [`lookup::find_exact`]; two organizations with the name are ambiguous; a name equal
/// but for case or surrounding space is only offered as "did you mean").
pub fn resolve_organization<'a>(
    query: &str,
    orgs: &'a [Organization],
) -> Result<&'a Organization, LookupError> {
    lookup::find_exact(query, orgs, |o| o.id.to_string(), |o| o.name.as_str())
}

/// The organization id of the stored pair `query` names (by id or stored name): `map
/// remove` works offline and for organizations the source no longer lists.
pub fn resolve_paired(query: &str, mapping: &Mapping) -> Result<i64, LookupError> {
    let pairs: Vec<(i64, &str)> = mapping
        .organizations
        .iter()
        .map(|(id, e)| (*id, e.name.as_str()))
        .collect();
    lookup::find_exact(query, &pairs, |p| p.0.to_string(), |p| p.1).map(|p| p.0)
}

/// Why a company argument names no company a pair can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompanyError {
    Lookup(LookupError),
    /// The only company it names is inactive: a pair with it would be stale at once.
    Inactive {
        id: i64,
        name: String,
    },
}

impl CompanyError {
    /// One line naming the valid choices (`all_names`: the active companies' names).
    pub fn explain(&self, what: &str, all_names: &[String]) -> String {
        match self {
            CompanyError::Lookup(e) => e.explain(what, all_names),
            CompanyError::Inactive { id, name } => format!(
                "{what} '{name}' (id {id}) is inactive in the PSA: reactivate it there, or choose another"
            ),
        }
    }
}

/// The active company `query` names: its id, else its exact name. A query matching only
/// an inactive company says so rather than "not found".
pub fn resolve_company<'a>(
    query: &str,
    companies: &'a [Company],
) -> Result<&'a Company, CompanyError> {
    let active: Vec<&Company> = companies.iter().filter(|c| c.active).collect();
    match lookup::find_exact(query, &active, |c| c.id.to_string(), |c| c.name.as_str()) {
        Ok(c) => Ok(*c),
        Err(miss @ LookupError::NotFound { .. }) => {
            match lookup::find_exact(query, companies, |c| c.id.to_string(), |c| c.name.as_str()) {
                Ok(c) => Err(CompanyError::Inactive {
                    id: c.id,
                    name: c.name.clone(),
                }),
                Err(_) => Err(CompanyError::Lookup(miss)),
            }
        }
        Err(e) => Err(CompanyError::Lookup(e)),
    }
}

/// One line of the company picker.
#[derive(Debug, Clone, PartialEq)]
pub struct PickerItem<'a> {
    pub company: &'a Company,
    /// Why it is suggested for this organization (suggested companies come first).
    pub why: Option<String>,
    /// How many organizations are already paired with it.
    pub paired: usize,
}

/// The companies to offer for one organization: its suggestions first (best first), then
/// every other active company by name (case-insensitive) and id. Inactive companies are
/// left out: a pair with one would be stale at once.
pub fn picker<'a>(
    companies: &'a [Company],
    suggestions: &[Suggestion],
    mapping: &Mapping,
) -> Vec<PickerItem<'a>> {
    let mut paired: HashMap<i64, usize> = HashMap::new();
    for e in mapping.organizations.values() {
        *paired.entry(e.company.id).or_default() += 1;
    }
    let rank: HashMap<i64, usize> = suggestions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let mut items: Vec<(Option<usize>, String, PickerItem)> = companies
        .iter()
        .filter(|c| c.active)
        .map(|c| {
            let r = rank.get(&c.id).copied();
            let item = PickerItem {
                company: c,
                why: r.map(|i| suggestions[i].why.clone()),
                paired: paired.get(&c.id).copied().unwrap_or(0),
            };
            (r, c.name.to_lowercase(), item)
        })
        .collect();
    items.sort_by(|a, b| {
        let by_rank = match (a.0, b.0) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_rank
            .then_with(|| a.1.cmp(&b.1))
            .then(a.2.company.id.cmp(&b.2.company.id))
    });
    items.into_iter().map(|(_, _, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::index::SuggestionKind;
    use crate::store::{CompanyRef, How, MappingEntry};

    fn company(id: i64, name: &str, active: bool) -> Company {
        Company {
            id,
            name: name.into(),
            active,
        }
    }

    fn org(id: i64, name: &str) -> Organization {
        Organization {
            id,
            name: name.into(),
            key: None,
            identity_provider_tenant_id: None,
            updated_at: None,
        }
    }

    #[test]
    fn organizations_resolve_by_id_or_name_and_duplicates_are_ambiguous() {
        let orgs = vec![org(5, "Acme"), org(6, "Riverside"), org(7, "Riverside")];
        assert_eq!(resolve_organization("5", &orgs).unwrap().name, "Acme");
        assert_eq!(resolve_organization("Acme", &orgs).unwrap().id, 5);
        assert_eq!(resolve_organization("7", &orgs).unwrap().id, 7);
        assert!(matches!(
            resolve_organization("Riverside", &orgs),
            Err(LookupError::Ambiguous { .. })
        ));
    }

    #[test]
    fn companies_resolve_among_active_ones_and_inactive_ones_say_so() {
        let companies = vec![
            company(1, "Acme", true),
            company(2, "Old Mill Bakery", false),
            company(3, "Metro Dental", true),
            company(4, "Metro Dental", true),
            company(5, "Acme", false),
        ];
        assert_eq!(resolve_company("Acme", &companies).unwrap().id, 1);
        let err = resolve_company("Old Mill Bakery", &companies).unwrap_err();
        assert_eq!(
            err,
            CompanyError::Inactive {
                id: 2,
                name: "Old Mill Bakery".into()
            }
        );
        assert!(err.explain("company", &[]).contains("inactive in the PSA"));
        assert!(matches!(
            resolve_company("2", &companies),
            Err(CompanyError::Inactive { id: 2, .. })
        ));
        assert!(matches!(
            resolve_company("Metro Dental", &companies),
            Err(CompanyError::Lookup(LookupError::Ambiguous { .. }))
        ));
        let miss = resolve_company("Acme Widgts", &companies).unwrap_err();
        assert!(matches!(
            miss,
            CompanyError::Lookup(LookupError::NotFound { .. })
        ));
    }

    #[test]
    fn stored_pairs_resolve_by_id_or_stored_name() {
        let mut m = Mapping::default();
        m.organizations.insert(
            9,
            MappingEntry {
                name: "Gone Org".into(),
                company: CompanyRef {
                    id: 1,
                    name: "X".into(),
                },
                how: How::Manual,
            },
        );
        assert_eq!(resolve_paired("9", &m), Ok(9));
        assert_eq!(resolve_paired("Gone Org", &m), Ok(9));
        assert!(resolve_paired("10", &m).is_err());
    }

    #[test]
    fn picker_puts_suggestions_first_then_names_and_hides_inactive() {
        let companies = vec![
            company(1, "zeta", true),
            company(2, "Alpha", true),
            company(3, "Acme Widgets Inc.", true),
            company(4, "beta", true),
            company(5, "Acme Widgets", false),
        ];
        let suggestions = vec![Suggestion {
            id: 3,
            name: "Acme Widgets Inc.".into(),
            why: "differs only by punctuation ('Inc' vs 'Inc.')".into(),
            kind: SuggestionKind::Normalized,
        }];
        let mut m = Mapping::default();
        m.organizations.insert(
            1,
            MappingEntry {
                name: "Alpha".into(),
                company: CompanyRef {
                    id: 2,
                    name: "Alpha".into(),
                },
                how: How::Auto,
            },
        );
        let items = picker(&companies, &suggestions, &m);
        let ids: Vec<i64> = items.iter().map(|i| i.company.id).collect();
        assert_eq!(ids, vec![3, 2, 4, 1]);
        assert!(items[0].why.is_some() && items[1].why.is_none());
        assert_eq!(items[1].paired, 1, "Alpha is already paired once");
    }
}
