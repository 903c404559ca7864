//! `docs/templates.md`, the reference of what each template receives, made
//! from the view types themselves (`views.rs`, `cards.rs`) and the table of
//! which view each template renders (`pages/mod.rs`). A test compares it with
//! the file, so a field added, renamed or documented differently without
//! regenerating the reference fails the tests.

use std::collections::BTreeMap;
use std::fmt::Write as _;

const VIEWS: &str = include_str!("views.rs");
const CARDS: &str = include_str!("cards.rs");
const PAGES: &str = include_str!("pages/mod.rs");

/// Types whose hand-written `Serialize` shows templates another type: the
/// type, what it serialises as, and the text of its `impl Serialize` that says so.
const SERIALIZED_AS: &[(&str, &str, &str)] = &[
    ("CardRef", "Card", "self.get().serialize(serializer)"),
    (
        "Mention",
        "EntryRef",
        "EntryRef::from(self.0.get()).serialize(serializer)",
    ),
    ("ListItem", "Item", "Item {\n            html,"),
];

/// One field as templates see it.
struct Field {
    name: String,
    ty: String,
    doc: String,
}

/// One type: its documentation and fields, or an enum's values.
struct Shape {
    doc: String,
    fields: Vec<Field>,
    values: Vec<String>,
}

/// The Markdown of `docs/templates.md`.
pub(crate) fn markdown() -> String {
    let mut shapes = BTreeMap::new();
    for source in [VIEWS, CARDS] {
        shapes.extend(shapes_in(source));
    }
    let mut out = String::from(
        "# What each template receives\n\n\
         Generated from `src/render/views.rs` and `src/render/cards.rs` by\n\
         `DATELINE_WRITE_REFERENCE=1 cargo test --lib template_reference`; a test fails\n\
         when this file is out of date, so do not edit it by hand.\n\n\
         Templates are [Tera 2](https://keats.github.io/tera/). A field that may be\n\
         missing is marked *or nothing*: test it with `{% if page.image %}`. Using a\n\
         field that does not exist is an error naming the template, line and column.\n\n\
         ## Templates\n\n\
         | Template | Receives |\n|---|---|\n",
    );
    for (template, view) in templates() {
        let _ = writeln!(
            out,
            "| `{template}` | the fields of [{view}](#{}), and `site` ([SiteView](#siteview)) |",
            view.to_lowercase()
        );
    }
    out.push_str(
        "| `card.html` | `entry` ([Card](#card)), one entry on a list page; rendered once per entry and reused |\n\
         | `base.html`, `components.html` | what the page that extends or calls them receives |\n\n\
         ## Types\n",
    );
    for (name, shape) in &shapes {
        if SERIALIZED_AS.iter().any(|(from, _, _)| from == name) || !shown(name, &shapes) {
            continue;
        }
        let _ = write!(out, "\n### {name}\n\n");
        if !shape.doc.is_empty() {
            let _ = writeln!(out, "{}\n", shape.doc);
        }
        if !shape.values.is_empty() {
            let values: Vec<String> = shape.values.iter().map(|v| format!("`\"{v}\"`")).collect();
            let _ = writeln!(out, "One of {}, as text.", values.join(", "));
            continue;
        }
        out.push_str("| Field | Type | What it is |\n|---|---|---|\n");
        for field in &shape.fields {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                field.name,
                type_text(&field.ty, &shapes),
                field.doc.replace('|', "\\|")
            );
        }
    }
    out
}

/// (template, view type) for each page template, from `impl Template for`.
fn templates() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut view = None;
    for line in PAGES.lines() {
        if let Some(rest) = line.strip_prefix("impl Template for ") {
            view = rest.split(['<', ' ']).next().map(str::to_string);
        } else if let (Some(name), Some(v)) = (
            line.trim().strip_prefix("const NAME: &'static str = \""),
            view.take(),
        ) {
            out.push((name.trim_end_matches("\";").to_string(), v));
        }
    }
    out
}

/// Whether templates can reach the type `name`: only view types with fields or
/// values, which every `Serialize` struct here is.
fn shown(name: &str, shapes: &BTreeMap<String, Shape>) -> bool {
    shapes
        .get(name)
        .is_some_and(|s| !s.fields.is_empty() || !s.values.is_empty())
}

/// Every `Serialize` struct and enum declared in `source`, by name.
fn shapes_in(source: &str) -> BTreeMap<String, Shape> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = BTreeMap::new();
    let mut doc: Vec<String> = Vec::new();
    let mut serialize = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        i += 1;
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.trim().to_string());
            continue;
        }
        if line.starts_with("#[derive(") {
            serialize = line.contains("Serialize");
            continue;
        }
        if line.starts_with("#[") {
            continue;
        }
        let declared = ["pub(crate) struct ", "struct ", "pub(crate) enum "]
            .iter()
            .find_map(|p| {
                line.strip_prefix(p)
                    .map(|rest| (p.ends_with("enum "), rest))
            });
        let Some((is_enum, rest)) = declared.filter(|_| serialize && line.ends_with('{')) else {
            if !line.is_empty() {
                doc.clear();
                serialize = false;
            }
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut shape = Shape {
            doc: prose(&doc),
            fields: Vec::new(),
            values: Vec::new(),
        };
        doc.clear();
        serialize = false;
        while i < lines.len() && !lines[i].trim().starts_with('}') {
            let member = lines[i].trim();
            i += 1;
            if let Some(text) = member.strip_prefix("///") {
                doc.push(text.trim().to_string());
            } else if is_enum {
                if let Some(value) = member.strip_suffix(',') {
                    shape.values.push(value.to_lowercase());
                }
                doc.clear();
            } else if let Some((field, ty)) = member
                .trim_start_matches("pub ")
                .strip_suffix(',')
                .and_then(|m| m.split_once(": "))
            {
                shape.fields.push(Field {
                    name: field.to_string(),
                    ty: ty.to_string(),
                    doc: prose(&doc),
                });
                doc.clear();
            }
        }
        out.insert(name, shape);
    }
    out
}

/// Doc-comment lines as one paragraph, rustdoc links as plain code.
fn prose(lines: &[String]) -> String {
    let text = lines.join(" ");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("`]") {
            Some(end) => {
                let path = &after[..end];
                let _ = write!(out, "`{}`", path.rsplit("::").next().unwrap_or(path));
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("[`");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// A Rust field type as a template author reads it.
fn type_text(ty: &str, shapes: &BTreeMap<String, Shape>) -> String {
    let ty = ty.trim();
    let ty = ty.strip_prefix('&').map_or(ty, |t| {
        let t = t.trim_start_matches(|c: char| c == '\'' || c.is_alphanumeric() || c == '_');
        t.trim_start()
    });
    let generic = |outer: &str| {
        ty.strip_prefix(outer)
            .and_then(|t| t.strip_prefix('<'))
            .and_then(|t| t.strip_suffix('>'))
    };
    if let Some(inner) = generic("Option") {
        return format!("{}, or nothing", type_text(inner, shapes));
    }
    if let Some(inner) = generic("Vec") {
        return format!("list of {}", type_text(inner, shapes));
    }
    if let Some(inner) = generic("std::collections::BTreeMap") {
        let value = inner.rsplit(", ").next().unwrap_or(inner);
        return format!("map of name → {}", type_text(value, shapes));
    }
    let base = ty.split('<').next().unwrap_or(ty);
    match base {
        "str" | "String" | "Cow" => "text".to_string(),
        "usize" | "u8" | "u32" | "u64" | "i64" => "number".to_string(),
        "bool" => "true or false".to_string(),
        "serde_json::Value" => "any (as written in the front matter)".to_string(),
        _ => {
            let target = SERIALIZED_AS
                .iter()
                .find(|(from, _, _)| *from == base)
                .map_or(base, |(_, to, _)| to);
            let shown = target.rsplit("::").next().unwrap_or(target);
            if shapes.contains_key(shown) {
                format!("[{shown}](#{})", shown.to_lowercase())
            } else {
                format!("`{shown}`")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_reference_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md");
        let made = markdown();
        if std::env::var_os("DATELINE_WRITE_REFERENCE").is_some() {
            std::fs::write(&path, &made).expect("write docs/templates.md");
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == made,
            "docs/templates.md is out of date with the view types: run \
             `DATELINE_WRITE_REFERENCE=1 cargo test --lib template_reference` and commit it"
        );
    }

    #[test]
    fn hand_written_serializations_still_show_what_the_reference_says() {
        for (from, to, says) in SERIALIZED_AS {
            let source = [VIEWS, CARDS].concat();
            let at = source
                .find(&format!("Serialize for {from}<"))
                .unwrap_or_else(|| panic!("no `impl Serialize for {from}`"));
            let body = &source[at..];
            let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
            assert!(
                body.contains(says),
                "`{from}` no longer serialises as `{to}`"
            );
        }
    }

    #[test]
    fn every_page_template_and_view_field_is_in_the_reference() {
        let made = markdown();
        let names: Vec<String> = templates().into_iter().map(|(t, _)| t).collect();
        for template in [
            "timeline.html",
            "entry.html",
            "taxonomy.html",
            "sources.html",
            "publisher.html",
            "404.html",
        ] {
            assert!(names.iter().any(|n| n == template), "{template}: {names:?}");
        }
        // Fields that templates use every day, from three kinds of view.
        for row in [
            "| `body` | text | The body as HTML. |",
            "| `extra` | any (as written in the front matter) |",
            "| `related` | list of [EntryRef](#entryref) |",
            "| `image` | [ImageView](#imageview), or nothing |",
            "| `kind` | [ListKind](#listkind) |",
            "| `html` | text | The rendered card. |",
        ] {
            assert!(made.contains(row), "missing `{row}` in\n{made}");
        }
        assert!(made.contains("One of `\"index\"`, `\"year\"`, `\"month\"`, `\"key\"`, `\"term\"`"));
    }
}
