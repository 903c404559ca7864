//! JSON-LD for entry pages: a schema.org `NewsArticle` about an `Event`, with
//! citations and corrections, so search engines read the story's dates and sources.

use crate::site::link::Site;

/// schema.org `NewsArticle` about an `Event`, for search engines. Dates keep the
/// entry's precision; `<` and `>` are escaped so the JSON cannot close its `<script>`.
pub fn entry(site: &Site, id: usize, image: Option<&str>) -> String {
    let entry = &site.entries[id];
    let urls = &site.urls;
    let url = urls.absolute(&urls.entry(&entry.slug));
    let home = urls.absolute(urls.root());
    let mut event = serde_json::json!({ "@type": "Event", "name": entry.title, "startDate": entry.date.machine() });
    if let Some(end) = &entry.end_date {
        event["endDate"] = end.machine().into();
    }
    let citations: Vec<serde_json::Value> = entry
        .sources
        .iter()
        .map(|s| {
            let mut c =
                serde_json::json!({ "@type": "CreativeWork", "name": s.title, "url": s.url });
            if let Some(p) = &s.publisher {
                c["publisher"] = serde_json::json!({ "@type": "Organization", "name": p });
            }
            if let Some(d) = &s.date {
                c["datePublished"] = d.machine().into();
            }
            c
        })
        .collect();
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": entry.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": entry.published.machine(),
        "about": event,
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": home },
    });
    if !entry.summary.is_empty() {
        doc["description"] = entry.summary.clone().into();
    }
    if let Some(updated) = &entry.updated {
        doc["dateModified"] = updated.machine().into();
    }
    if let Some(image) = image {
        doc["image"] = image.into();
    }
    if let Some(author) = &site.config.author {
        doc["author"] = serde_json::json!({ "@type": "Organization", "name": author.name });
    }
    if !citations.is_empty() {
        doc["citation"] = citations.into();
    }
    if !entry.corrections.is_empty() {
        doc["correction"] = entry
            .corrections
            .iter()
            .map(|c| serde_json::json!({ "@type": "CorrectionComment", "text": c.text, "datePublished": c.date.machine() }))
            .collect::<Vec<_>>()
            .into();
    }
    doc.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
