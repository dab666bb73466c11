//! The PSA's companies indexed for the questions the mapping asks of every organization:
//! which companies have exactly this name, which normalise alike, which look alike. Built
//! once per run so that thousands of organizations against tens of thousands of companies
//! cost hash lookups, not a comparison of every pair.

use std::cell::{Cell, OnceCell};
use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::normalize::{self, digits};
use crate::psa::Company;

/// At most this many suggestions are kept for one organization.
pub const MAX_SUGGESTIONS: usize = 5;
/// Similar-name suggestions shown (after the stronger kinds, which come first).
const MAX_SIMILAR: usize = 3;
/// Damerau-Levenshtein similarity of the normalised names at or above which a name is
/// "similar" (one typo in a dozen letters). Jaro-Winkler was tried and rejected: it rates
/// any shared first word highly ("Northwind Traders" vs "Northwind Health": 0.90).
const SIMILAR_AT_LEAST: f64 = 0.8;
/// A word shared by more companies than this says nothing about which one is meant
/// ("holdings", "dental", "the"): it is not used to find similar names.
pub const COMMON_WORD: usize = 200;
/// Companies compared by string distance per organization, at most (plus one word's
/// worth, as a word's companies are taken whole).
pub const SIMILAR_CANDIDATES: usize = 64;
/// Words are also indexed by their first letters, so a typo later in the only word still
/// finds the company ("Relecloud" vs "Relecloude").
const PREFIX_LEN: usize = 4;

/// How strongly a suggestion matches, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    /// Byte-identical name (suggested when it cannot be auto-mapped: ambiguous, or not
    /// applied because `map list` only reports).
    Exact,
    /// Equal after normalising case, spacing, apostrophes, punctuation, `&` and legal
    /// suffixes.
    Normalized,
    /// Near name by string distance.
    Similar,
}

/// A company a person might pair an organization with. Shown, never applied by
/// [`reconcile`](super::reconcile).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub id: i64,
    pub name: String,
    /// Why it is suggested, organization's name first: "differs only by 'Pty Ltd'".
    pub why: String,
    pub kind: SuggestionKind,
}

/// Active companies by exact and normalised name; all companies by id.
pub struct CompanyIndex<'a> {
    companies: &'a [Company],
    by_id: HashMap<i64, usize>,
    /// Every company (active or not) by byte-exact name.
    exact: HashMap<&'a str, Vec<usize>>,
    /// Active companies by normalised key.
    normalized: HashMap<String, Vec<usize>>,
    /// Normalised key of each company (empty for inactive ones).
    keys: Vec<String>,
    /// Active companies by normalised word and word prefix; built on first need.
    words: OnceCell<HashMap<String, Vec<usize>>>,
    comparisons: Cell<usize>,
}

impl<'a> CompanyIndex<'a> {
    pub fn new(companies: &'a [Company]) -> Self {
        let mut by_id = HashMap::with_capacity(companies.len());
        let mut exact: HashMap<&str, Vec<usize>> = HashMap::with_capacity(companies.len());
        let mut normalized: HashMap<String, Vec<usize>> = HashMap::with_capacity(companies.len());
        let mut keys = Vec::with_capacity(companies.len());
        for (i, c) in companies.iter().enumerate() {
            // A repeated id is a PSA paging glitch; the first record wins.
            by_id.entry(c.id).or_insert(i);
            exact.entry(c.name.as_str()).or_default().push(i);
            let key = if c.active {
                normalize::key(&c.name)
            } else {
                String::new()
            };
            if !key.is_empty() {
                normalized.entry(key.clone()).or_default().push(i);
            }
            keys.push(key);
        }
        CompanyIndex {
            companies,
            by_id,
            exact,
            normalized,
            keys,
            words: OnceCell::new(),
            comparisons: Cell::new(0),
        }
    }

    pub fn by_id(&self, id: i64) -> Option<&'a Company> {
        self.by_id.get(&id).map(|&i| &self.companies[i])
    }

    /// Companies whose name is byte-identical to `name`, active ones first, in list order.
    pub fn exact(&self, name: &str) -> Vec<&'a Company> {
        let mut out: Vec<&Company> = self
            .exact
            .get(name)
            .map(|v| v.iter().map(|&i| &self.companies[i]).collect())
            .unwrap_or_default();
        out.sort_by_key(|c| !c.active);
        out
    }

    /// Active companies whose name is byte-identical to `name`.
    pub fn exact_active(&self, name: &str) -> Vec<&'a Company> {
        self.exact(name).into_iter().filter(|c| c.active).collect()
    }

    /// How many companies have been examined for similar names so far (the cost of
    /// similar-name suggestions; bounded per organization by the word index).
    pub fn comparisons(&self) -> usize {
        self.comparisons.get()
    }

    /// The active companies a person might pair an organization named `name` with, best
    /// first: exact names, then names equal after normalising (fewest differences
    /// first), then, only when neither exists, similar names. Inactive companies are
    /// never suggested: pairing with one would make a stale pair at once.
    pub fn suggest(&self, name: &str) -> Vec<Suggestion> {
        if name.trim().is_empty() {
            return Vec::new();
        }
        let mut out: Vec<Suggestion> = self
            .exact_active(name)
            .into_iter()
            .map(|c| suggestion(c, "exact name".into(), SuggestionKind::Exact))
            .collect();
        let key = normalize::key(name);
        let mut near: Vec<(usize, &Company, String)> = self
            .normalized
            .get(&key)
            .into_iter()
            .flatten()
            .map(|&i| &self.companies[i])
            .filter_map(|c| {
                normalize::difference(name, &c.name).map(|d| (d.aspects.len(), c, d.describe()))
            })
            .collect();
        near.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        out.extend(
            near.into_iter()
                .map(|(_, c, why)| suggestion(c, why, SuggestionKind::Normalized)),
        );
        if out.is_empty() {
            out = self.similar(&key);
        }
        out.truncate(MAX_SUGGESTIONS);
        out
    }

    /// Active companies whose normalised name is close to `key`, found through the rarer
    /// words they share with it, never by comparing against every company.
    fn similar(&self, key: &str) -> Vec<Suggestion> {
        if key.is_empty() {
            return Vec::new();
        }
        let index = self.words.get_or_init(|| self.build_word_index());
        let mut postings: Vec<&Vec<usize>> = word_terms(key)
            .iter()
            .filter_map(|t| index.get(t))
            .filter(|p| p.len() <= COMMON_WORD)
            .collect();
        postings.sort_by_key(|p| p.len());
        let mut candidates: HashSet<usize> = HashSet::new();
        for p in postings {
            if candidates.len() >= SIMILAR_CANDIDATES {
                break;
            }
            candidates.extend(p.iter().copied());
        }
        let want_digits = digits(key);
        self.comparisons
            .set(self.comparisons.get() + candidates.len());
        let mut scored: Vec<(f64, &Company, String)> = Vec::new();
        for i in candidates {
            let other = &self.keys[i];
            if other == key || digits(other) != want_digits {
                continue;
            }
            // Parent and child records ("Contoso" vs "Contoso Pharmaceuticals") are the
            // other near miss the seed article names.
            let nested = contains_words(key, other) || contains_words(other, key);
            if !nested && !length_window(key, other) {
                continue;
            }
            let score = strsim::normalized_damerau_levenshtein(key, other);
            if score >= SIMILAR_AT_LEAST {
                let why = format!("similar name ({:.0}% alike)", score * 100.0);
                scored.push((score, &self.companies[i], why));
            } else if nested {
                let why = "one name contains the other".to_string();
                scored.push((score, &self.companies[i], why));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
        scored
            .into_iter()
            .take(MAX_SIMILAR)
            .map(|(_, c, why)| suggestion(c, why, SuggestionKind::Similar))
            .collect()
    }

    fn build_word_index(&self) -> HashMap<String, Vec<usize>> {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, key) in self.keys.iter().enumerate() {
            for term in word_terms(key) {
                let posting = index.entry(term).or_default();
                // A name repeating a word lists the company once.
                if posting.last() != Some(&i) {
                    posting.push(i);
                }
            }
        }
        index
    }
}

/// The index terms of a normalised key: each word, and each longer word's prefix.
fn word_terms(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in key.split(' ').filter(|w| !w.is_empty()) {
        out.push(w.to_string());
        if w.chars().count() > PREFIX_LEN {
            let prefix: String = w.chars().take(PREFIX_LEN).collect();
            out.push(format!("{prefix}…"));
        }
    }
    out
}

/// Every word of `inner` is a word of `outer`.
fn contains_words(inner: &str, outer: &str) -> bool {
    let outer: Vec<&str> = outer.split(' ').collect();
    inner.split(' ').all(|w| outer.contains(&w))
}

/// Names of very different lengths are not near misses of each other.
fn length_window(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    la.abs_diff(lb) * 2 <= la.max(lb)
}

fn suggestion(c: &Company, why: String, kind: SuggestionKind) -> Suggestion {
    Suggestion {
        id: c.id,
        name: c.name.clone(),
        why,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(id: i64, name: &str, active: bool) -> Company {
        Company {
            id,
            name: name.into(),
            active,
        }
    }

    #[test]
    fn suggestions_rank_exact_then_normalised_and_skip_inactive() {
        let companies = vec![
            company(1, "Acme Widgets Inc.", true),
            company(2, "ACME WIDGETS INC", true),
            company(3, "Acme Widgets Inc", false),
            company(4, "Acme Widgets, Inc.", true),
        ];
        let index = CompanyIndex::new(&companies);
        let got = index.suggest("Acme Widgets Inc");
        let ids: Vec<i64> = got.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![1, 2, 4], "inactive 3 is never suggested");
        assert_eq!(got[0].why, "differs only by punctuation ('Inc' vs 'Inc.')");
        assert_eq!(got[1].why, "differs only in case");
        assert!(got.iter().all(|s| s.kind == SuggestionKind::Normalized));
    }

    #[test]
    fn similar_names_are_a_fallback_only() {
        let companies = vec![
            company(1, "Trey Reserch", true),
            company(2, "Relecloude", true),
            company(3, "Store 13", true),
            company(4, "Trey Research Inc", true),
        ];
        let index = CompanyIndex::new(&companies);
        let trey = index.suggest("Trey Research");
        assert_eq!(
            trey.len(),
            1,
            "the normalised match hides weaker ones: {trey:?}"
        );
        assert_eq!(trey[0].id, 4);

        let rele = index.suggest("Relecloud");
        assert_eq!(rele.len(), 1, "{rele:?}");
        assert_eq!(rele[0].id, 2);
        assert_eq!(rele[0].kind, SuggestionKind::Similar);
        assert!(rele[0].why.starts_with("similar name ("), "{}", rele[0].why);

        assert!(
            index.suggest("Store 12").is_empty(),
            "different numbers are different customers"
        );
        assert!(index.suggest("Unrelated Name").is_empty());
    }

    #[test]
    fn similar_means_a_typo_or_a_parent_name_not_a_shared_first_word() {
        let companies = vec![
            company(1, "Northwind Health", true),
            company(2, "Contoso Pharmaceuticals", true),
            company(3, "Coho Vineyard", true),
            company(4, "Blue Yonder Airline", true),
        ];
        let index = CompanyIndex::new(&companies);
        assert!(
            index.suggest("Northwind Traders").is_empty(),
            "{:?}",
            index.suggest("Northwind Traders")
        );
        assert!(index.suggest("Coho Winery").is_empty());
        let contoso = index.suggest("Contoso");
        assert_eq!(contoso.len(), 1);
        assert_eq!(contoso[0].why, "one name contains the other");
        let blue = index.suggest("Blue Yonder Airlines");
        assert_eq!(blue[0].id, 4);
        assert_eq!(blue[0].why, "similar name (95% alike)");
    }

    #[test]
    fn common_words_do_not_make_candidates() {
        let companies: Vec<Company> = (0..1000)
            .map(|i| company(i, &format!("Holdings Group {i}"), true))
            .collect();
        let index = CompanyIndex::new(&companies);
        assert!(index.suggest("Holdings Group").is_empty());
        assert_eq!(index.comparisons(), 0, "shared only common words");
    }
}
