//! YAML values as the readers see them: `serde_yaml`'s values turned into neutral
//! `serde_json` values, and the typed readers of text, lists, booleans, whole
//! numbers and dates that every front-matter and `site.yaml` key goes through.

use serde_json::{Map, Number, Value};

use super::SyntaxErrorKind;

pub(super) fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn kind_of_yaml(value: &serde_yaml::Value) -> &'static str {
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

pub(super) fn to_json(value: serde_yaml::Value) -> Result<Value, SyntaxErrorKind> {
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
                    .map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        serde_yaml::Value::Mapping(m) => {
            let mut map = Map::new();
            for (k, v) in m {
                let key = scalar_text(&k).ok_or(SyntaxErrorKind::KeyNotText)?;
                map.insert(key, to_json(v)?);
            }
            Value::Object(map)
        }
        serde_yaml::Value::Tagged(t) => return Err(SyntaxErrorKind::Tagged(t.tag.to_string())),
    })
}

/// What kind of value this is, for messages: "a list", "a number", …
pub(crate) fn kind(value: &Value) -> &'static str {
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
pub(crate) fn text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("expected text, found {}", kind(other))),
    }
}

/// Reads a list of texts; a single text counts as a list of one, nothing as empty.
pub(crate) fn text_list(value: &Value) -> Result<Vec<String>, String> {
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
pub(crate) fn boolean(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("expected `true` or `false`, found {}", kind(value)))
}

/// Reads a whole number.
pub(crate) fn integer(value: &Value) -> Result<i64, String> {
    value
        .as_i64()
        .ok_or_else(|| format!("expected a whole number, found {}", kind(value)))
}

/// Reads a date: a YAML string in any accepted form, or an unquoted year that YAML
/// read as a number.
pub(crate) fn date(value: &Value) -> Result<crate::date::PartialDate, crate::date::DateError> {
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
