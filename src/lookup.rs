//! Finding one item of a PSA's or the source's list by id or exact name, with "did you
//! mean" near misses when nothing matches (ticket types, boards, statuses, priorities,
//! companies, organizations).

use std::cmp::Ordering;

/// How many names a long list shows after its near misses.
const LONG_LIST_SHOWN: usize = 20;

/// Why a lookup found no single item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// Nothing matched; `near` holds the closest names (best first), `total` the list size.
    NotFound {
        query: String,
        near: Vec<String>,
        total: usize,
    },
    /// The name belongs to several items; their ids are listed.
    Ambiguous { query: String, ids: Vec<String> },
}

impl LookupError {
    /// A one-line explanation naming the valid choices: near misses first, then (for short
    /// lists) every name.
    pub fn explain(&self, what: &str, all_names: &[String]) -> String {
        match self {
            LookupError::NotFound { query, near, total } => {
                let mut msg = format!("no {what} named or numbered '{query}'");
                if !near.is_empty() {
                    msg.push_str(&format!("; did you mean {}?", quote_list(near)));
                }
                if *total > 0 && *total <= 30 {
                    let stop = if msg.ends_with('?') { "" } else { "." };
                    msg.push_str(&format!("{stop} Valid choices: {}", quote_list(all_names)));
                } else if *total > 30 {
                    // Too many to list: the near misses came first; then enough names
                    // to show what the list looks like, and how many more there are.
                    let stop = if msg.ends_with('?') { "" } else { "." };
                    let shown: Vec<String> =
                        all_names.iter().take(LONG_LIST_SHOWN).cloned().collect();
                    msg.push_str(&format!(
                        "{stop} {total} to choose from; the first {}: {} and {} more (give the exact name or the id)",
                        shown.len(),
                        quote_list(&shown),
                        all_names.len().saturating_sub(shown.len())
                    ));
                }
                msg
            }
            LookupError::Ambiguous { query, ids } => {
                format!(
                    "several {what}s are named '{query}' (ids {}); give the id instead",
                    ids.join(", ")
                )
            }
        }
    }
}

fn quote_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Finds the item whose id equals `query`, else whose name equals it exactly, else whose
/// name equals it ignoring case and surrounding space (only if that is unique).
pub fn find<'a, T>(
    query: &str,
    items: &'a [T],
    id_of: impl Fn(&T) -> String,
    name_of: impl Fn(&T) -> &str,
) -> Result<&'a T, LookupError> {
    find_by(query, items, id_of, name_of, true)
}

/// Like [`find`], but a name must match byte for byte: a name equal only ignoring case
/// and surrounding space is not taken, it becomes the first "did you mean" instead (for
/// arguments whose contract is "by id or exact name", such as the map commands').
pub fn find_exact<'a, T>(
    query: &str,
    items: &'a [T],
    id_of: impl Fn(&T) -> String,
    name_of: impl Fn(&T) -> &str,
) -> Result<&'a T, LookupError> {
    find_by(query, items, id_of, name_of, false)
}

fn find_by<'a, T>(
    query: &str,
    items: &'a [T],
    id_of: impl Fn(&T) -> String,
    name_of: impl Fn(&T) -> &str,
    accept_loose: bool,
) -> Result<&'a T, LookupError> {
    let q = query.trim();
    if let Some(item) = items.iter().find(|i| id_of(i) == q) {
        return Ok(item);
    }
    let exact: Vec<&T> = items.iter().filter(|i| name_of(i) == query).collect();
    match exact.len() {
        1 => return Ok(exact[0]),
        n if n > 1 => {
            return Err(LookupError::Ambiguous {
                query: query.to_string(),
                ids: exact.iter().map(|i| id_of(i)).collect(),
            });
        }
        _ => {}
    }
    let loose: Vec<&T> = items
        .iter()
        .filter(|i| name_of(i).trim().eq_ignore_ascii_case(q))
        .collect();
    match loose.len() {
        1 if accept_loose => Ok(loose[0]),
        n if n > 1 && accept_loose => Err(LookupError::Ambiguous {
            query: query.to_string(),
            ids: loose.iter().map(|i| id_of(i)).collect(),
        }),
        _ => {
            // Names equal but for case or surrounding space are the likeliest meaning.
            let mut near: Vec<String> = Vec::new();
            for name in loose
                .iter()
                .map(|i| name_of(i).to_string())
                .chain(near_misses(q, items.iter().map(&name_of)))
            {
                if !near.contains(&name) && near.len() < 5 {
                    near.push(name);
                }
            }
            Err(LookupError::NotFound {
                query: query.to_string(),
                near,
                total: items.len(),
            })
        }
    }
}

/// Up to five names similar to `query` (Jaro > 0.7 on lower-case, as clap does), best first.
pub fn near_misses<'a>(query: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let q = query.to_lowercase();
    let mut scored: Vec<(f64, &str)> = names
        .map(|n| (strsim::jaro(&q, &n.to_lowercase()), n))
        .filter(|(score, _)| *score > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal));
    let mut out: Vec<String> = Vec::new();
    for (_, n) in scored {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
        if out.len() == 5 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_shows_near_misses_then_its_first_names() {
        let names: Vec<String> = (0..40).map(|i| format!("Client {i:02}")).collect();
        let err = LookupError::NotFound {
            query: "Client 4O".into(),
            near: vec!["Client 40".into(), "Client 04".into()],
            total: names.len(),
        };
        let msg = err.explain("client", &names);
        let near = msg.find("did you mean 'Client 40'").expect(&msg);
        let first = msg.find("the first 20: 'Client 00'").expect(&msg);
        assert!(near < first, "{msg}");
        assert!(msg.contains("'Client 19' and 20 more"), "{msg}");
        assert!(!msg.contains("'Client 20'"), "{msg}");
    }

    fn items() -> Vec<(i64, String)> {
        vec![
            (1, "New".into()),
            (2, "In Progress".into()),
            (9, "Closed".into()),
            (10, "Closed".into()),
        ]
    }

    fn find_in<'a>(q: &str, v: &'a [(i64, String)]) -> Result<&'a (i64, String), LookupError> {
        find(q, v, |i| i.0.to_string(), |i| i.1.as_str())
    }

    #[test]
    fn by_id_then_exact_name_then_loose_name() {
        let v = items();
        assert_eq!(find_in("2", &v).unwrap().1, "In Progress");
        assert_eq!(find_in("In Progress", &v).unwrap().0, 2);
        assert_eq!(find_in("  in progress ", &v).unwrap().0, 2);
    }

    #[test]
    fn exact_lookup_offers_a_case_or_space_variant_as_the_first_near_miss() {
        let v = items();
        let exact = |q: &str| find_exact(q, &v, |i| i.0.to_string(), |i| i.1.as_str());
        assert_eq!(exact("2").unwrap().1, "In Progress");
        assert_eq!(exact("In Progress").unwrap().0, 2);
        for q in ["in progress", " In Progress", "In Progress "] {
            match exact(q).unwrap_err() {
                LookupError::NotFound { near, .. } => {
                    assert_eq!(
                        near.first().map(String::as_str),
                        Some("In Progress"),
                        "{q:?}"
                    );
                }
                other => panic!("{q:?}: {other:?}"),
            }
        }
        // Two loose matches are both offered, never picked.
        match exact("closed").unwrap_err() {
            LookupError::NotFound { near, .. } => assert_eq!(near[0], "Closed"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn duplicates_are_ambiguous_and_misses_suggest() {
        let v = items();
        assert_eq!(
            find_in("Closed", &v).unwrap_err(),
            LookupError::Ambiguous {
                query: "Closed".into(),
                ids: vec!["9".into(), "10".into()]
            }
        );
        let err = find_in("In Progres", &v).unwrap_err();
        let names: Vec<String> = v.iter().map(|i| i.1.clone()).collect();
        let msg = err.explain("status", &names);
        assert!(msg.contains("did you mean 'In Progress'?"), "{msg}");
        assert!(msg.contains("Valid choices: 'New', 'In Progress'"), "{msg}");
    }
}
