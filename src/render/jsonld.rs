//! JSON-LD for entry pages: a schema.org `NewsArticle` about an `Event`, with
//! citations and corrections, so search engines read the story's dates and sources.

use crate::content::entry::Entry;

/// What an entry's JSON-LD is made from: the entry and the few site values it names.
#[derive(Debug)]
pub(crate) struct JsonLd<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// The entry page's absolute URL.
    pub url: String,
    /// The site's absolute home URL.
    pub home: String,
    /// The site's title.
    pub site_title: &'a str,
    /// The site's author, an organisation.
    pub author: Option<&'a str>,
    /// The absolute URL of the entry's image.
    pub image: Option<&'a str>,
}

impl JsonLd<'_> {
    /// schema.org `NewsArticle` about an `Event`. Dates keep the entry's
    /// precision; `<`, `>` and `&` are escaped so the JSON cannot close its
    /// `<script>`.
    pub(crate) fn text(&self) -> String {
        let entry = self.entry;
        let mut event = serde_json::json!({ "@type": "Event", "name": entry.title, "startDate": entry.date.machine() });
        if let Some(end) = &entry.end_date {
            event["endDate"] = end.machine().into();
        }
        // The quoted posts are cited works too, as what they are.
        let posts = entry.posts.iter().map(|p| {
            let mut post = serde_json::json!({
                "@type": "SocialMediaPosting",
                "author": { "@type": "Person", "name": p.author },
                "datePublished": p.date.machine(),
                "text": p.text,
            });
            if let Some(handle) = &p.handle {
                post["author"]["alternateName"] = handle.as_str().into();
            }
            if let Some(url) = &p.url {
                post["url"] = url.as_str().into();
            }
            if let Some(platform) = &p.platform {
                post["publisher"] =
                    serde_json::json!({ "@type": "Organization", "name": platform });
            }
            if let Some(archived) = &p.archive_url {
                post["archivedAt"] = archived.as_str().into();
            }
            // What the post passes on, when its text links a page.
            if let Some(shared) = crate::render::posts::first_link(&p.text) {
                post["sharedContent"] = serde_json::json!({ "@type": "WebPage", "url": shared });
            }
            post
        });
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
                if let Some(archived) = &s.archive_url {
                    c["archivedAt"] = archived.as_str().into();
                }
                c
            })
            .chain(posts)
            .collect();
        let mut doc = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": entry.title,
            "url": self.url,
            "mainEntityOfPage": self.url,
            "datePublished": entry.published.machine(),
            "about": event,
            "isPartOf": { "@type": "WebSite", "name": self.site_title, "url": self.home },
        });
        if !entry.summary.is_empty() {
            doc["description"] = entry.summary.clone().into();
        }
        if let Some(updated) = &entry.updated {
            doc["dateModified"] = updated.machine().into();
        }
        if let Some(image) = self.image {
            doc["image"] = image.into();
        }
        if let Some(author) = self.author {
            doc["author"] = serde_json::json!({ "@type": "Organization", "name": author });
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
}
