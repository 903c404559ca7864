//! The index of cited publishers for `/sources/`: each publisher with the entries
//! that cite it, newest first. A source without a publisher is filed under its
//! address's host; publisher spellings that share a slug are one publisher, shown
//! with the spelling used most often.

use std::collections::{BTreeMap, HashMap};

use crate::site::link::Site;
use crate::slug;

/// One entry's citation of a publisher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Citation {
    /// The citing entry.
    pub entry: usize,
    /// Index into that entry's `sources`.
    pub source: usize,
}

/// A publisher and its citations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Publisher {
    /// Fragment id on the sources page.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Citations, newest entry first.
    pub citations: Vec<Citation>,
}

/// Every cited publisher, sorted by name.
pub(crate) fn collect(site: &Site) -> Vec<Publisher> {
    // slug → (spelling → uses, citations)
    let mut found: BTreeMap<String, (BTreeMap<String, usize>, Vec<Citation>)> = BTreeMap::new();
    // Publishers repeat across thousands of citations: normalise each name once.
    let mut slugs: HashMap<String, String> = HashMap::new();
    for (entry, e) in site.entries.iter().enumerate().rev() {
        for (source, s) in e.sources.iter().enumerate() {
            let name = s.publisher.clone().unwrap_or_else(|| host(&s.url));
            let key = slugs
                .entry(name.clone())
                .or_insert_with(|| {
                    let key = slug::normalize(&name);
                    if key.is_empty() {
                        slug::normalize(&host(&s.url))
                    } else {
                        key
                    }
                })
                .clone();
            let (spellings, citations) = found.entry(key).or_default();
            *spellings.entry(name).or_default() += 1;
            citations.push(Citation { entry, source });
        }
    }
    let mut publishers: Vec<Publisher> = found
        .into_iter()
        .map(|(slug, (spellings, citations))| {
            let name = crate::site::taxonomy::most_used(&spellings)
                .map_or_else(|| slug.clone(), Clone::clone);
            Publisher {
                slug,
                name,
                citations,
            }
        })
        .collect();
    publishers.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.slug.cmp(&b.slug))
    });
    publishers
}

/// The host of `url` without a leading `www.`.
fn host(url: &str) -> String {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_drops_www() {
        assert_eq!(host("https://www.nytimes.com/2017/x.html"), "nytimes.com");
        assert_eq!(host("https://twitter.com/x"), "twitter.com");
        assert_eq!(host("not a url"), "");
    }
}
