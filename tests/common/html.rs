//! Reading built pages without an HTML parser: [`attributes`], a probe for raw
//! attribute values, and [`tags`], a small tokenizer that decodes them.

use std::collections::BTreeMap;

use serde_json::Value;

/// The raw value of every `name="…"` attribute, in document order.
#[track_caller]
pub(crate) fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            let end = rest
                .find('"')
                .unwrap_or_else(|| panic!("an unclosed `{name}` value: {rest:.80}"));
            &rest[..end]
        })
        .collect()
}

/// One start tag of an HTML document, with its attributes (entities decoded).
#[derive(Debug)]
pub(crate) struct Tag {
    /// The element name, lower-cased.
    pub(crate) name: String,
    /// Attribute name (lower-cased) → decoded value.
    pub(crate) attrs: BTreeMap<String, String>,
}

impl Tag {
    /// The value of attribute `name`.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    /// Whether this is a `<name>` whose `attr` is `value`.
    pub(crate) fn is(&self, name: &str, attr: &str, value: &str) -> bool {
        self.name == name && self.attr(attr) == Some(value)
    }
}

/// Every start tag of `html`, in order: a small tokenizer that knows quoted and
/// unquoted attribute values, comments, and the raw text of `<script>` and `<style>`.
pub(crate) fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        i += at + 1;
        if html[i..].starts_with("!--") {
            i += html[i..].find("-->").map_or(html.len() - i, |e| e + 3);
            continue;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_len = html[i..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(html.len() - i);
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attrs = BTreeMap::new();
        loop {
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) || bytes.get(i) == Some(&b'/') {
                i += 1;
            }
            match bytes.get(i) {
                None => break,
                Some(b'>') => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            let end = html[i..]
                .find(|c: char| c.is_ascii_whitespace() || "=>/".contains(c))
                .map_or(html.len(), |e| i + e);
            let key = html[i..end].to_ascii_lowercase();
            i = end;
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                let (raw, next) = match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = html[i + 1..]
                            .find(q as char)
                            .map_or(html.len(), |e| i + 1 + e);
                        (&html[i + 1..close], close + 1)
                    }
                    _ => {
                        let stop = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(html.len(), |e| i + e);
                        (&html[i..stop], stop)
                    }
                };
                value = decode_entities(raw);
                i = next.min(html.len());
            }
            attrs.insert(key, value);
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i += html[i..]
                .to_ascii_lowercase()
                .find(&close)
                .unwrap_or(html.len() - i);
        }
        out.push(Tag { name, attrs });
    }
    out
}

/// Decodes the character references a serializer writes.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The JSON-LD documents of a page, as (text, parsed).
#[track_caller]
pub(crate) fn json_ld(html: &str) -> Vec<(String, Value)> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(at, _)| {
            let text = &html[at + open.len()..];
            let text = &text[..text.find("</script>").expect("a closed JSON-LD script")];
            (
                text.to_string(),
                serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("JSON-LD is not JSON: {e}\n{text}")),
            )
        })
        .collect()
}
