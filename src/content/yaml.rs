//! The only module that touches `serde_yaml` (deprecated upstream, so a fork can
//! replace it here alone). It parses a YAML mapping into top-level fields with their
//! line numbers, as neutral `serde_json` values, and finds the lines of nested fields.

use serde_json::{Map, Number, Value};

/// One top-level `key: value` pair and the file line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key as written.
    pub key: String,
    /// The value, with YAML scalars kept as typed (`2017` a number, `2017-10` a string).
    pub value: Value,
    /// 1-based line of the key in the file.
    pub line: usize,
}

/// A YAML syntax error, at a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based file line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The parser's message without its own position suffix.
    pub message: String,
}

/// A parsed YAML mapping: its fields and the text they came from, to locate nested keys.
#[derive(Debug)]
pub struct Mapping<'a> {
    /// The top-level fields in the order written.
    pub fields: Vec<Field>,
    /// The lines of the text, split once: nested keys are looked up once per value.
    lines: Vec<&'a str>,
    first_line: usize,
}

/// Parses `text`, whose first line is line `first_line` of its file, as a mapping.
/// An empty document is an empty mapping.
pub fn parse_mapping(text: &str, first_line: usize) -> Result<Mapping<'_>, SyntaxError> {
    let at = |line: usize, column: usize, message: String| SyntaxError {
        line: line + first_line - 1,
        column,
        message,
    };
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        at(line, column, message)
    })?;
    let mapping = match value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        other => {
            return Err(at(
                1,
                1,
                format!(
                    "expected `key: value` lines, found {}",
                    kind_of_yaml(&other)
                ),
            ));
        }
    };
    let lines = top_level_lines(text);
    let mut fields = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = scalar_text(&key).unwrap_or_else(|| "?".to_string());
        let line = lines
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(first_line, |(_, l)| l + first_line - 1);
        let value = to_json(value).map_err(|message| at(line - first_line + 1, 1, message))?;
        fields.push(Field { key, value, line });
    }
    Ok(Mapping {
        fields,
        lines: text.lines().collect(),
        first_line,
    })
}

impl Mapping<'_> {
    /// The file line of `field` inside the map under the top-level key on `key_line`,
    /// or `key_line` itself for a one-line `{ … }` map.
    pub fn field_line(&self, key_line: usize, field: &str) -> usize {
        let lines = &self.lines;
        let start = key_line + 1 - self.first_line;
        (start..lines.len())
            .take_while(|&i| lines[i].is_empty() || lines[i].starts_with([' ', '\t', '#']))
            .find(|&i| {
                let l = lines[i].trim_start();
                l.strip_prefix(field)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map_or(key_line, |i| i + self.first_line)
    }

    /// The text of file line `line`, when it is inside this mapping.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        self.lines.get(line.checked_sub(self.first_line)?).copied()
    }

    /// The file line of `field` inside item `index` of the list under the top-level
    /// key on `key_line`; falls back to the item's line, then to `key_line`.
    pub fn item_line(&self, key_line: usize, index: usize, field: Option<&str>) -> usize {
        let lines = &self.lines;
        let start = key_line + 1 - self.first_line; // 0-based index of the line after the key
        let end = (start..lines.len())
            .find(|&i| !lines[i].is_empty() && !lines[i].starts_with([' ', '\t', '-', '#']))
            .unwrap_or(lines.len());
        let block = start.min(end)..end;
        let item_indent = lines[block.clone()]
            .iter()
            .filter_map(|l| item_start(l))
            .min();
        let Some(indent) = item_indent else {
            return key_line;
        };
        let items: Vec<usize> = block
            .clone()
            .filter(|&i| item_start(lines[i]) == Some(indent))
            .collect();
        let Some(&item) = items.get(index) else {
            return key_line;
        };
        let item_end = items.get(index + 1).copied().unwrap_or(block.end);
        let found = field.and_then(|name| {
            (item..item_end).find(|&i| {
                let l = lines[i].trim_start().trim_start_matches("- ").trim_start();
                l.strip_prefix(name)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
        });
        found.unwrap_or(item) + self.first_line
    }
}

/// Indentation of a `- ` list item line.
fn item_start(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    (trimmed.starts_with("- ") || trimmed == "-").then(|| line.len() - trimmed.len())
}

/// `(key, 1-based line)` for each unindented `key:` line.
fn top_level_lines(text: &str) -> Vec<(String, usize)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|(i, l)| {
            let colon = l.find(':')?;
            let key = l[..colon].trim().trim_matches(['"', '\'']);
            Some((key.to_string(), i + 1))
        })
        .collect()
}

fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind_of_yaml(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "true/false",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a line of text",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a map",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

fn to_json(value: serde_yaml::Value) -> Result<Value, String> {
    Ok(match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        serde_yaml::Value::Mapping(m) => {
            let mut map = Map::new();
            for (k, v) in m {
                let key = scalar_text(&k).ok_or("map keys must be plain text")?;
                map.insert(key, to_json(v)?);
            }
            Value::Object(map)
        }
        serde_yaml::Value::Tagged(t) => {
            return Err(format!(
                "YAML tags such as `{}` are not supported; remove the tag",
                t.tag
            ))
        }
    })
}

/// What kind of value this is, for messages: "a list", "a number", …
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// Reads text: YAML strings, and numbers or booleans written where text was meant.
pub fn text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("expected text, found {}", kind(other))),
    }
}

/// Reads a list of texts; a single text counts as a list of one, nothing as empty.
pub fn text_list(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                text(item)
                    .map_err(|_| format!("expected a list of texts, found {} in it", kind(item)))
            })
            .collect(),
        other => text(other)
            .map(|t| vec![t])
            .map_err(|_| format!("expected a list, found {}", kind(other))),
    }
}

/// Reads `true` or `false`.
pub fn boolean(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("expected `true` or `false`, found {}", kind(value)))
}

/// Reads a whole number.
pub fn integer(value: &Value) -> Result<i64, String> {
    value
        .as_i64()
        .ok_or_else(|| format!("expected a whole number, found {}", kind(value)))
}

/// Reads a date: a YAML string in any accepted form, or an unquoted year that YAML
/// read as a number.
pub fn date(value: &Value) -> Result<crate::date::PartialDate, crate::date::DateError> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.as_u64().is_some_and(|y| y <= 9999) => {
            format!("{:04}", n.as_u64().unwrap_or(0))
        }
        other => {
            return Err(crate::date::DateError {
                message: format!("expected a date, found {}", kind(other)),
                help: "write `2017-10-15`, `2017-10`, `2017`, or `2017-10-15T12:21:00-07:00`"
                    .into(),
            })
        }
    };
    crate::date::PartialDate::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_years_as_numbers_and_months_as_text() {
        let m = parse_mapping("date: 2017\nend_date: 2017-10\ntitle: x\n", 2).expect("parses");
        assert_eq!(m.fields[0].value, Value::Number(2017.into()));
        assert_eq!(m.fields[1].value, Value::String("2017-10".into()));
        let lines: Vec<usize> = m.fields.iter().map(|f| f.line).collect();
        assert_eq!(lines, [2, 3, 4]);
    }

    #[test]
    fn reports_syntax_errors_at_file_lines() {
        let err = parse_mapping("title: x\ntags: [a\n", 5).expect_err("unclosed list");
        assert!(err.line >= 6, "{err:?}");
        assert!(!err.message.contains(" at line "), "{}", err.message);
        let err = parse_mapping("title: a\ntitle: b\n", 2).expect_err("duplicate");
        assert!(err.message.contains("duplicate"), "{}", err.message);
    }

    #[test]
    fn rejects_a_document_that_is_not_a_mapping() {
        assert!(parse_mapping("- a\n- b\n", 2).is_err());
        assert!(parse_mapping("", 2)
            .expect("empty is fine")
            .fields
            .is_empty());
    }

    #[test]
    fn finds_lines_of_fields_inside_list_items() {
        let text = "title: x\nsources:\n  - title: A\n    url: a\n  - title: B\n    url: b\nimage:\n  src: x\n";
        let m = parse_mapping(text, 2).expect("parses");
        let key_line = m.fields[1].line;
        assert_eq!(key_line, 3);
        assert_eq!(m.item_line(key_line, 0, Some("url")), 5);
        assert_eq!(m.item_line(key_line, 1, Some("url")), 7);
        assert_eq!(m.item_line(key_line, 1, Some("missing")), 6);
        assert_eq!(m.item_line(key_line, 9, Some("url")), 3);
        assert_eq!(m.field_line(8, "src"), 9);
        assert_eq!(m.field_line(8, "alt"), 8);
    }

    #[test]
    fn survives_alias_bombs() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        assert!(parse_mapping(bomb, 1).is_err());
    }
}
