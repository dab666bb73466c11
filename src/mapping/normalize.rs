//! Name comparison for *suggestions* only. Auto-mapping is byte-exact (the seed article:
//! "no fuzzy logic, no whitespace forgiveness"); these normalisations find the companies a
//! person would pair by hand and say in words why the exact match failed.

/// One way two names can differ and still name the same customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Aspect {
    LeadingSpace,
    TrailingSpace,
    /// Runs of spaces, tabs or non-breaking spaces between words.
    Spacing,
    Case,
    /// Straight, curly or missing apostrophes (`O'Brien`, `O’Brien`, `OBrien`).
    Apostrophe,
    /// `&` against `and`.
    Ampersand,
    /// Dots, commas, hyphens and other marks (`Inc` vs `Inc.`, `Sons, LLC`).
    Punctuation,
    /// Trailing legal-form words (`Pty Ltd`, `LLC`, `Limited` vs `Ltd`).
    LegalSuffix,
}

impl Aspect {
    fn label(self) -> &'static str {
        match self {
            Aspect::LeadingSpace => "leading space",
            Aspect::TrailingSpace => "trailing space",
            Aspect::Spacing => "spacing",
            Aspect::Case => "case",
            Aspect::Apostrophe => "apostrophe",
            Aspect::Ampersand => "'&'/'and'",
            Aspect::Punctuation => "punctuation",
            Aspect::LegalSuffix => "legal suffix",
        }
    }
}

/// The forgiveness a normalised key applies, as bits (in this order when several single
/// aspects would each explain a difference: the first one named wins, so `Inc` vs `Inc.`
/// reads as punctuation rather than as a legal suffix).
const CASE: u8 = 1;
const APOSTROPHE: u8 = 2;
const AMPERSAND: u8 = 4;
const PUNCTUATION: u8 = 8;
const SUFFIX: u8 = 16;
const ALL: u8 = CASE | APOSTROPHE | AMPERSAND | PUNCTUATION | SUFFIX;

const BIT_ASPECTS: [(u8, Aspect); 5] = [
    (CASE, Aspect::Case),
    (APOSTROPHE, Aspect::Apostrophe),
    (AMPERSAND, Aspect::Ampersand),
    (PUNCTUATION, Aspect::Punctuation),
    (SUFFIX, Aspect::LegalSuffix),
];

/// Legal-form words, lower-case with dots removed (`L.L.C.` -> `llc`, `Pty.` -> `pty`).
/// Only stripped from the end of a name, and never the name's only word.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lllp",
    "lp",
    "lc",
    "pllc",
    "pc",
    "ltd",
    "limited",
    "pty",
    "plc",
    "co",
    "corp",
    "corporation",
    "company",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "sa",
    "sarl",
    "sas",
    "srl",
    "spa",
    "bv",
    "nv",
    "ab",
    "oy",
];

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' | '\u{2032}'
    )
}

fn is_legal_suffix(token: &str) -> bool {
    let bare: String = token
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    LEGAL_SUFFIXES.contains(&bare.as_str())
}

/// The words of `name` under the forgiveness in `forgive` (whitespace is always forgiven:
/// the words are what is compared).
fn words(name: &str, forgive: u8) -> Vec<String> {
    let punctuation = forgive & PUNCTUATION != 0;
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    };
    for c in name.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
        } else if is_apostrophe(c) {
            if forgive & APOSTROPHE == 0 {
                word.push(c);
            }
        } else if punctuation && c == '.' {
            // Joined, not split: `L.L.C.` is `LLC`, `Inc.` is `Inc`.
        } else if punctuation && c == '&' {
            flush(&mut word, &mut out);
            out.push("&".into());
        } else if punctuation && !c.is_alphanumeric() {
            flush(&mut word, &mut out);
        } else if forgive & CASE != 0 {
            word.extend(c.to_lowercase());
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    if forgive & AMPERSAND != 0 {
        for w in out.iter_mut().filter(|w| *w == "&") {
            *w = "and".into();
        }
    }
    if forgive & SUFFIX != 0 {
        let mut stripped = false;
        while out.len() > 1 && out.last().is_some_and(|w| is_legal_suffix(w)) {
            out.pop();
            stripped = true;
        }
        // `Smith & Co` keeps no dangling `&`.
        if stripped
            && out.len() > 1
            && out
                .last()
                .is_some_and(|w| w == "&" || w.eq_ignore_ascii_case("and"))
        {
            out.pop();
        }
    }
    out
}

/// The fully normalised form of a name: lower case, words separated by one space, no
/// apostrophes or punctuation, `&` spelled `and`, trailing legal suffixes removed. Two
/// names with equal keys are suggested for each other.
pub fn key(name: &str) -> String {
    words(name, ALL).join(" ")
}

/// How `org` and `company` differ, when their keys are equal; `None` when they do not
/// (or when the names are byte-identical).
pub fn difference(org: &str, company: &str) -> Option<Difference> {
    if org == company || key(org) != key(company) {
        return None;
    }
    let mut aspects = spacing_aspects(org, company);
    let forgiven = minimal_forgiveness(org, company);
    aspects.extend(
        BIT_ASPECTS
            .iter()
            .filter(|(bit, _)| forgiven & bit != 0)
            .map(|(_, a)| *a),
    );
    let (org_part, company_part) = differing_words(org, company);
    Some(Difference {
        aspects,
        org_part,
        company_part,
    })
}

/// The smallest set of forgiveness bits under which the two names have the same words
/// (fewest aspects first; among equals, the order of [`BIT_ASPECTS`]).
fn minimal_forgiveness(a: &str, b: &str) -> u8 {
    let mut masks: Vec<u8> = (0..=ALL).collect();
    masks.sort_by_key(|m| m.count_ones());
    masks
        .into_iter()
        .find(|&m| words(a, m) == words(b, m))
        .unwrap_or(ALL)
}

fn leading_ws(s: &str) -> &str {
    &s[..s.len() - s.trim_start().len()]
}

fn trailing_ws(s: &str) -> &str {
    &s[s.trim_end().len()..]
}

/// The whitespace runs between words.
fn separators(s: &str) -> Vec<&str> {
    let inner = s.trim();
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in inner.char_indices() {
        match (c.is_whitespace(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push(&inner[st..i]);
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn spacing_aspects(a: &str, b: &str) -> Vec<Aspect> {
    let mut out = Vec::new();
    if leading_ws(a) != leading_ws(b) {
        out.push(Aspect::LeadingSpace);
    }
    if trailing_ws(a) != trailing_ws(b) {
        out.push(Aspect::TrailingSpace);
    }
    let (sa, sb) = (separators(a), separators(b));
    let unusual = |s: &[&str]| s.iter().any(|sep| *sep != " ");
    if sa != sb && (unusual(&sa) || unusual(&sb)) {
        out.push(Aspect::Spacing);
    }
    out
}

/// The words that differ, after removing the words both names start and end with.
fn differing_words(a: &str, b: &str) -> (String, String) {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    let prefix = wa.iter().zip(&wb).take_while(|(x, y)| x == y).count();
    let max_suffix = wa.len().min(wb.len()) - prefix;
    let suffix = wa
        .iter()
        .rev()
        .zip(wb.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    (
        wa[prefix..wa.len() - suffix].join(" "),
        wb[prefix..wb.len() - suffix].join(" "),
    )
}

/// Why two names that normalise alike are not an exact match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What differs, spacing first, then case, apostrophe, `&`, punctuation, suffix.
    pub aspects: Vec<Aspect>,
    /// The organization's words that differ (empty when it lacks words the company has).
    pub org_part: String,
    /// The company's words that differ.
    pub company_part: String,
}

impl Difference {
    /// The reason a technician reads, organization first, company second:
    /// "differs only by punctuation ('Inc' vs 'Inc.')", "differs only by 'Pty Ltd'".
    pub fn describe(&self) -> String {
        let parts = || quote_pair(&self.org_part, &self.company_part, '\'');
        match self.aspects.as_slice() {
            [Aspect::LeadingSpace] => "differs only by leading space".into(),
            [Aspect::TrailingSpace] => "differs only by trailing space".into(),
            [Aspect::Spacing] => "differs only in spacing".into(),
            [Aspect::Case] => "differs only in case".into(),
            [Aspect::Apostrophe] => format!(
                "apostrophe differs ({})",
                quote_pair(&self.org_part, &self.company_part, '"')
            ),
            [Aspect::Ampersand] => "differs only by '&' vs 'and'".into(),
            [Aspect::Punctuation] => format!("differs only by punctuation ({})", parts()),
            [Aspect::LegalSuffix] => match (self.org_part.is_empty(), self.company_part.is_empty())
            {
                (true, false) => format!("differs only by '{}'", self.company_part),
                (false, true) => format!("differs only by '{}'", self.org_part),
                _ => format!("differs only by legal suffix ({})", parts()),
            },
            many => {
                let labels: Vec<&str> = many.iter().map(|a| a.label()).collect();
                let shows_words = many.iter().any(|a| {
                    !matches!(
                        a,
                        Aspect::LeadingSpace
                            | Aspect::TrailingSpace
                            | Aspect::Spacing
                            | Aspect::Case
                    )
                });
                let mut out = format!("differs in {}", join_and(&labels));
                if shows_words {
                    out.push_str(&format!(" ({})", parts()));
                }
                out
            }
        }
    }
}

fn quote_pair(a: &str, b: &str, q: char) -> String {
    let quote = |s: &str| {
        if s.is_empty() {
            "nothing".to_string()
        } else {
            format!("{q}{s}{q}")
        }
    };
    format!("{} vs {}", quote(a), quote(b))
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The digits of a name in order: names that carry different numbers ("Store 12",
/// "Store 13") are different customers however alike they look.
pub fn digits(name: &str) -> String {
    name.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each drift case of the seed article and SPEC section 8, with the reason shown.
    #[test]
    fn drift_cases_normalise_alike_and_say_why() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "Acme Widgets Inc",
                "Acme Widgets Inc.",
                "differs only by punctuation ('Inc' vs 'Inc.')",
            ),
            (
                "O'Brien Plumbing",
                "O\u{2019}Brien Plumbing",
                "apostrophe differs (\"O'Brien\" vs \"O\u{2019}Brien\")",
            ),
            (
                "OBrien Plumbing",
                "O'Brien Plumbing",
                "apostrophe differs (\"OBrien\" vs \"O'Brien\")",
            ),
            (
                "Kangaroo Logistics",
                "Kangaroo Logistics Pty Ltd",
                "differs only by 'Pty Ltd'",
            ),
            (
                "Kangaroo Logistics Pty. Ltd.",
                "Kangaroo Logistics",
                "differs only by 'Pty. Ltd.'",
            ),
            ("bluebird dental", "Bluebird Dental", "differs only in case"),
            (
                "Summit Physiotherapy",
                "Summit Physiotherapy ",
                "differs only by trailing space",
            ),
            (
                " Summit Physiotherapy",
                "Summit Physiotherapy",
                "differs only by leading space",
            ),
            (
                "Summit  Physiotherapy",
                "Summit Physiotherapy",
                "differs only in spacing",
            ),
            (
                "Greenfield Sons, LLC",
                "Greenfield Sons LLC",
                "differs only by punctuation ('Sons,' vs 'Sons')",
            ),
            (
                "Harbour View Legal Limited",
                "Harbour View Legal Ltd",
                "differs only by legal suffix ('Limited' vs 'Ltd')",
            ),
            (
                "Proseware L.L.C.",
                "Proseware LLC",
                "differs only by punctuation ('L.L.C.' vs 'LLC')",
            ),
            (
                "Proseware Incorporated",
                "Proseware",
                "differs only by 'Incorporated'",
            ),
            (
                "Datum Corp",
                "Datum Corporation",
                "differs only by legal suffix ('Corp' vs 'Corporation')",
            ),
            ("Muller GmbH", "Muller", "differs only by 'GmbH'"),
            (
                "City Power & Light",
                "City Power and Light",
                "differs only by '&' vs 'and'",
            ),
            ("Smith & Co", "Smith", "differs only by '& Co'"),
            (
                "acme widgets inc",
                "Acme Widgets Inc. ",
                "differs in trailing space, case and punctuation ('acme widgets inc' vs 'Acme Widgets Inc.')",
            ),
            (
                "CONTOSO LIMITED",
                "Contoso Ltd",
                "differs in case and legal suffix ('CONTOSO LIMITED' vs 'Contoso Ltd')",
            ),
        ];
        for (org, company, why) in cases {
            let diff = difference(org, company)
                .unwrap_or_else(|| panic!("{org:?} and {company:?} should normalise alike"));
            assert_eq!(diff.describe(), *why, "{org:?} vs {company:?}");
        }
    }

    #[test]
    fn different_customers_do_not_normalise_alike() {
        for (a, b) in [
            ("Acme Widgets", "Acme Gadgets"),
            ("Store 12", "Store 13"),
            ("Coho Winery", "Coho"),
            ("Limited Editions", "Editions"),
            ("Able Moose Accounting", "Able Moose"),
        ] {
            assert_ne!(key(a), key(b), "{a:?} vs {b:?}");
            assert!(difference(a, b).is_none());
        }
        assert!(
            difference("Same", "Same").is_none(),
            "identical is not a drift"
        );
    }

    #[test]
    fn legal_suffix_is_never_the_whole_name() {
        assert_eq!(key("Company"), "company");
        assert_eq!(key("Inc."), "inc");
        assert_eq!(key("Limited Co"), "limited");
        assert_eq!(key("  "), "");
    }

    #[test]
    fn key_folds_everything_at_once() {
        assert_eq!(
            key("  O\u{2019}Brien & Sons, Pty. Ltd. "),
            key("obrien and sons")
        );
        assert_eq!(key("AT&T"), key("AT and T"));
    }
}
