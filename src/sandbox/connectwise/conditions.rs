//! ConnectWise's `conditions` query language, as far as the emulator needs it: strings in
//! double quotes (`\"` and `\\` escaped, `[[]` for a literal `[`), bare integers,
//! `True`/`False`/`null`, datetimes in brackets, `= != < <= > >= like contains in`, `not`,
//! `and`/`or`, parentheses and `ref/field` paths. Anything else is a parse error, answered
//! with 400 like the real API, so client quoting and URL-encoding bugs surface.

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare {
        path: Vec<String>,
        op: Op,
        value: Literal,
    },
    In {
        path: Vec<String>,
        values: Vec<Literal>,
        negated: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    NotLike,
    Contains,
    NotContains,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Date(OffsetDateTime),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Num(f64),
    Date(OffsetDateTime),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

/// Parses a conditions string; the error reads like a parser's complaint with a position.
pub fn parse(input: &str) -> Result<Expr, String> {
    let tokens = lex(input)?;
    if tokens.is_empty() {
        return Err("conditions are empty".into());
    }
    let mut p = Parser { tokens, pos: 0 };
    let expr = p.or_expr()?;
    if p.pos < p.tokens.len() {
        return Err(format!(
            "unexpected {} after a complete condition",
            describe(&p.tokens[p.pos].1)
        ));
    }
    Ok(expr)
}

fn describe(t: &Token) -> String {
    match t {
        Token::Ident(s) => format!("'{s}'"),
        Token::Str(s) => format!("string \"{s}\""),
        Token::Num(n) => format!("number {n}"),
        Token::Date(_) => "datetime".into(),
        Token::Op(o) => format!("'{o}'"),
        Token::LParen => "'('".into(),
        Token::RParen => "')'".into(),
        Token::Comma => "','".into(),
    }
}

fn lex(input: &str) -> Result<Vec<(usize, Token)>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push((start, Token::LParen));
                i += 1;
            }
            ')' => {
                out.push((start, Token::RParen));
                i += 1;
            }
            ',' => {
                out.push((start, Token::Comma));
                i += 1;
            }
            '"' => {
                let (s, next) = lex_string(&chars, i)?;
                out.push((start, Token::Str(s)));
                i = next;
            }
            '[' => {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| i + p)
                    .ok_or_else(|| format!("unterminated datetime at position {start}"))?;
                let raw: String = chars[i + 1..end].iter().collect();
                let when = OffsetDateTime::parse(raw.trim(), &Rfc3339)
                    .map_err(|_| format!("'{raw}' at position {start} is not a datetime"))?;
                out.push((start, Token::Date(when)));
                i = end + 1;
            }
            '=' => {
                out.push((start, Token::Op("=")));
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push((start, Token::Op("!=")));
                i += 2;
            }
            '<' | '>' => {
                let two = chars.get(i + 1) == Some(&'=');
                let op = match (c, two) {
                    ('<', true) => "<=",
                    ('<', false) => "<",
                    ('>', true) => ">=",
                    _ => ">",
                };
                out.push((start, Token::Op(op)));
                i += if two { 2 } else { 1 };
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                if j < chars.len() && (chars[j].is_alphabetic() || chars[j] == '_') {
                    return Err(format!(
                        "unexpected character '{}' at position {j} (strings need double quotes)",
                        chars[j]
                    ));
                }
                let raw: String = chars[i..j].iter().collect();
                let n = raw
                    .parse::<f64>()
                    .map_err(|_| format!("'{raw}' at position {start} is not a number"))?;
                out.push((start, Token::Num(n)));
                i = j;
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut j = i + 1;
                while j < chars.len()
                    && (chars[j].is_alphanumeric() || matches!(chars[j], '_' | '/'))
                {
                    j += 1;
                }
                out.push((start, Token::Ident(chars[i..j].iter().collect())));
                i = j;
            }
            other => {
                return Err(format!(
                    "unexpected character '{other}' at position {start}"
                ));
            }
        }
    }
    Ok(out)
}

/// A double-quoted string: `\"` and `\\` escapes, `[[]` a literal `[`.
fn lex_string(chars: &[char], open: usize) -> Result<(String, usize), String> {
    let mut s = String::new();
    let mut i = open + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((s, i + 1)),
            '\\' => match chars.get(i + 1) {
                Some(&c @ ('"' | '\\')) => {
                    s.push(c);
                    i += 2;
                }
                Some('t') => {
                    s.push('\t');
                    i += 2;
                }
                _ => {
                    return Err(format!(
                        "invalid escape sequence at position {i} (only \\\" and \\\\ are allowed)"
                    ));
                }
            },
            '[' if chars.get(i + 1) == Some(&'[') && chars.get(i + 2) == Some(&']') => {
                s.push('[');
                i += 3;
            }
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err(format!("unterminated string starting at position {open}"))
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).map(|(_, t)| t.clone());
        self.pos += 1;
        t
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Ident(s)) if s.eq_ignore_ascii_case(word))
    }

    fn or_expr(&mut self) -> Result<Expr, String> {
        let mut left = self.and_expr()?;
        while self.keyword("or") {
            self.pos += 1;
            let right = self.and_expr()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.keyword("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Token::LParen) {
            self.pos += 1;
            let inner = self.or_expr()?;
            return match self.next() {
                Some(Token::RParen) => Ok(inner),
                Some(t) => Err(format!("expected ')' but found {}", describe(&t))),
                None => Err("missing ')' at the end of the conditions".into()),
            };
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let path = match self.next() {
            Some(Token::Ident(name)) if !is_reserved(&name) => name,
            Some(t) => return Err(format!("expected a field name but found {}", describe(&t))),
            None => return Err("expected a field name at the end of the conditions".into()),
        };
        if path.starts_with('/') || path.ends_with('/') || path.contains("//") {
            return Err(format!("'{path}' is not a valid field path"));
        }
        let path: Vec<String> = path.split('/').map(str::to_string).collect();
        let negated = self.keyword("not");
        if negated {
            self.pos += 1;
        }
        let op = match self.next() {
            Some(Token::Op(o)) if !negated => match o {
                "=" => Op::Eq,
                "!=" => Op::Ne,
                "<" => Op::Lt,
                "<=" => Op::Le,
                ">" => Op::Gt,
                _ => Op::Ge,
            },
            Some(Token::Ident(w)) if w.eq_ignore_ascii_case("like") => {
                if negated {
                    Op::NotLike
                } else {
                    Op::Like
                }
            }
            Some(Token::Ident(w)) if w.eq_ignore_ascii_case("contains") => {
                if negated {
                    Op::NotContains
                } else {
                    Op::Contains
                }
            }
            Some(Token::Ident(w)) if w.eq_ignore_ascii_case("in") => {
                return self.in_list(path, negated);
            }
            Some(t) => {
                return Err(format!(
                    "expected an operator after '{}' but found {}",
                    path.join("/"),
                    describe(&t)
                ));
            }
            None => {
                return Err(format!(
                    "expected an operator after '{}' at the end of the conditions",
                    path.join("/")
                ));
            }
        };
        let value = self.literal()?;
        if matches!(op, Op::Like | Op::NotLike | Op::Contains | Op::NotContains)
            && !matches!(value, Literal::Str(_))
        {
            return Err("like and contains take a quoted string".into());
        }
        Ok(Expr::Compare { path, op, value })
    }

    fn in_list(&mut self, path: Vec<String>, negated: bool) -> Result<Expr, String> {
        if self.next() != Some(Token::LParen) {
            return Err("expected '(' after in".into());
        }
        let mut values = vec![self.literal()?];
        loop {
            match self.next() {
                Some(Token::Comma) => values.push(self.literal()?),
                Some(Token::RParen) => break,
                Some(t) => return Err(format!("expected ',' or ')' but found {}", describe(&t))),
                None => return Err("missing ')' after the in list".into()),
            }
        }
        Ok(Expr::In {
            path,
            values,
            negated,
        })
    }

    fn literal(&mut self) -> Result<Literal, String> {
        match self.next() {
            Some(Token::Str(s)) => Ok(Literal::Str(s)),
            Some(Token::Num(n)) => Ok(Literal::Num(n)),
            Some(Token::Date(d)) => Ok(Literal::Date(d)),
            Some(Token::Ident(w)) if w.eq_ignore_ascii_case("true") => Ok(Literal::Bool(true)),
            Some(Token::Ident(w)) if w.eq_ignore_ascii_case("false") => Ok(Literal::Bool(false)),
            Some(Token::Ident(w)) if w.eq_ignore_ascii_case("null") => Ok(Literal::Null),
            Some(Token::Ident(w)) => {
                Err(format!("'{w}' is not a value (strings need double quotes)"))
            }
            Some(t) => Err(format!("expected a value but found {}", describe(&t))),
            None => Err("expected a value at the end of the conditions".into()),
        }
    }
}

fn is_reserved(word: &str) -> bool {
    ["and", "or", "not", "like", "contains", "in"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
}

/// Evaluates a condition against a record. Unknown fields are errors (the real API answers
/// 400 for them), so records must be rendered with every field present (`null` included).
pub fn matches(expr: &Expr, record: &Value) -> Result<bool, String> {
    Ok(match expr {
        Expr::And(a, b) => matches(a, record)? && matches(b, record)?,
        Expr::Or(a, b) => matches(a, record)? || matches(b, record)?,
        Expr::Not(e) => !matches(e, record)?,
        Expr::Compare { path, op, value } => compare(resolve(record, path)?, *op, value),
        Expr::In {
            path,
            values,
            negated,
        } => {
            let field = resolve(record, path)?;
            values.iter().any(|v| compare(field, Op::Eq, v)) != *negated
        }
    })
}

/// Follows `a/b/c` through nested objects (case-insensitive keys). A missing key on a
/// present object is an unknown field; a `null` reference on the way yields `null`.
fn resolve<'a>(record: &'a Value, path: &[String]) -> Result<&'a Value, String> {
    let mut current = record;
    for (i, seg) in path.iter().enumerate() {
        match current {
            Value::Null => return Ok(&Value::Null),
            Value::Object(map) => {
                current = map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(seg))
                    .map(|(_, v)| v)
                    .ok_or_else(|| format!("Unknown field '{}'", path[..=i].join("/")))?;
            }
            _ => return Err(format!("'{}' has no field '{seg}'", path[..i].join("/"))),
        }
    }
    Ok(current)
}

fn compare(field: &Value, op: Op, value: &Literal) -> bool {
    use std::cmp::Ordering;
    if let Literal::Null = value {
        return match op {
            Op::Eq => field.is_null(),
            Op::Ne => !field.is_null(),
            _ => false,
        };
    }
    if field.is_null() {
        return matches!(op, Op::Ne | Op::NotLike | Op::NotContains);
    }
    let text = match field {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match op {
        Op::Like | Op::NotLike | Op::Contains | Op::NotContains => {
            let Literal::Str(pattern) = value else {
                return false;
            };
            let hit = if matches!(op, Op::Like | Op::NotLike) {
                like(&text.to_lowercase(), &pattern.to_lowercase())
            } else {
                text.to_lowercase().contains(&pattern.to_lowercase())
            };
            hit == matches!(op, Op::Like | Op::Contains)
        }
        _ => {
            let ordering = match (field, value) {
                (Value::Number(n), Literal::Num(v)) => n.as_f64().and_then(|n| n.partial_cmp(v)),
                (Value::Bool(b), Literal::Bool(v)) => Some(b.cmp(v)),
                (Value::String(s), Literal::Date(d)) => {
                    OffsetDateTime::parse(s, &Rfc3339).ok().map(|t| t.cmp(d))
                }
                (_, Literal::Str(v)) => Some(text.to_lowercase().cmp(&v.to_lowercase())),
                (_, Literal::Num(v)) => Some(text.cmp(&v.to_string())),
                _ => None,
            };
            let Some(ord) = ordering else {
                return op == Op::Ne;
            };
            match op {
                Op::Eq => ord == Ordering::Equal,
                Op::Ne => ord != Ordering::Equal,
                Op::Lt => ord == Ordering::Less,
                Op::Le => ord != Ordering::Greater,
                Op::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }
        }
    }
}

/// `*` matches any run of characters (SQL's `%`); everything else literally.
fn like(text: &str, pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return text == pattern;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else if let Some(pos) = rest.find(part) {
            rest = &rest[pos + part.len()..];
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(cond: &str, rec: &Value) -> Result<bool, String> {
        matches(&parse(cond)?, rec)
    }

    fn company() -> Value {
        json!({"id": 251, "name": "City Power & Light", "identifier": "CityPower",
               "deletedFlag": false, "status": {"id": 1, "name": "Active"},
               "_info": {"lastUpdated": "2026-01-02T03:04:05Z"}, "closedDate": null})
    }

    #[test]
    fn strings_numbers_booleans_and_references() {
        let c = company();
        assert!(eval(r#"name="City Power & Light""#, &c).unwrap());
        assert!(
            eval(r#"name="city power & light""#, &c).unwrap(),
            "SQL collation ignores case"
        );
        assert!(eval("id=251", &c).unwrap());
        assert!(!eval("id=250", &c).unwrap());
        assert!(eval("deletedFlag=False", &c).unwrap());
        assert!(eval("deletedFlag=false and id>=251", &c).unwrap());
        assert!(eval(r#"status/name="Active""#, &c).unwrap());
        assert!(eval("status/id != 2", &c).unwrap());
        assert!(eval("id in (1, 251, 3)", &c).unwrap());
        assert!(eval("id not in (1, 3)", &c).unwrap());
        assert!(eval("closedDate = null", &c).unwrap());
        assert!(eval("_info/lastUpdated > [2026-01-01T00:00:00Z]", &c).unwrap());
        assert!(!eval("_info/lastUpdated > [2026-02-01T00:00:00Z]", &c).unwrap());
    }

    #[test]
    fn like_contains_and_boolean_logic_with_parentheses() {
        let c = company();
        assert!(eval(r#"name like "City*""#, &c).unwrap());
        assert!(eval(r#"name like "*&*""#, &c).unwrap());
        assert!(!eval(r#"name like "Power*""#, &c).unwrap());
        assert!(eval(r#"name not like "Power*""#, &c).unwrap());
        assert!(eval(r#"name contains "power""#, &c).unwrap());
        assert!(eval(r#"(id=1 or id=251) and not (deletedFlag=True)"#, &c).unwrap());
        assert!(
            !eval(r#"id=1 or id=2 and id=251"#, &c).unwrap(),
            "and binds tighter"
        );
        assert!(eval(r#"id=251 OR id=2 AND id=3"#, &c).unwrap());
    }

    #[test]
    fn escapes_in_strings() {
        let rec = json!({"name": "Tom's \"Best\" [Shop] \\ Co"});
        assert!(eval(r#"name="Tom's \"Best\" [[]Shop] \\ Co""#, &rec).unwrap());
        assert!(eval(r#"name like "*[[]Shop]*""#, &rec).unwrap());
    }

    #[test]
    fn malformed_conditions_are_refused() {
        let c = company();
        for bad in [
            "name=City",       // unquoted string
            r#"name="City"#,   // unterminated
            r#"name="a" and"#, // dangling operator
            r#"(id=1"#,        // missing paren
            "id=1)",           // stray paren
            r#"name=="x""#,    // double operator
            r#"name like 5"#,  // like needs a string
            "id=1 & id=2",     // & is not an operator (unencoded ampersand)
            r#"name="a\nb""#,  // unsupported escape
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
        assert!(
            eval(r#"nmae="x""#, &c)
                .unwrap_err()
                .contains("Unknown field")
        );
    }
}
