//! The front matter's citations: `sources` (each with its archived copy and
//! Wikipedia's `url_status`) and quoted social `posts`, read into the entry
//! with every mistake at its line.

use serde_json::Value;

use crate::content::entry::{Post, Source, UrlStatus};
use crate::content::fields::Reader;
use crate::content::yaml::{Item, ListShape};
use crate::limits;

const SOURCES: ListShape<'static> = ListShape {
    key: "sources",
    noun: "source",
    fields: &[
        "title",
        "url",
        "publisher",
        "date",
        "archive_url",
        "url_status",
    ],
    required: &["title", "url"],
    help: "write each source as `- { title: \"…\", url: \"https://…\", publisher: \"…\" }`",
};

const POSTS: ListShape<'static> = ListShape {
    key: "posts",
    noun: "post",
    fields: &[
        "url",
        "author",
        "handle",
        "platform",
        "date",
        "text",
        "archive_url",
        "image",
    ],
    required: &["author", "date", "text"],
    help: "write each post as `- { author: \"…\", platform: \"…\", date: 2017-10-15, url: \"https://…\", text: \"…\" }`",
};

impl Reader<'_, '_, '_> {
    /// `sources`: each `{title, url, publisher?, date?, archive_url?}`.
    pub(crate) fn sources(&mut self, line: usize, v: &Value) -> Vec<Source> {
        if !self.at_most(line, "sources", v, limits::SOURCES) {
            return Vec::new();
        }
        let items = self.mapping.list_of_maps(line, v, &SOURCES, self.report);
        items.iter().filter_map(|item| self.source(item)).collect()
    }

    fn source(&mut self, item: &Item<'_>) -> Option<Source> {
        let mut source = Source {
            title: String::new(),
            url: String::new(),
            publisher: None,
            date: None,
            archive_url: None,
            url_status: UrlStatus::Live,
        };
        let mut ok = true;
        for (key, value) in item.map {
            let l = item.line_of(key);
            match key.as_str() {
                "title" => match self.text(l, key, value, true, limits::SOURCE_TITLE) {
                    Some(t) => source.title = crate::content::typography::smarten(&t),
                    None => ok = false,
                },
                "url" => match self.web_url(l, key, value) {
                    Some(u) => source.url = u,
                    None => ok = false,
                },
                "archive_url" => source.archive_url = self.web_url(l, key, value),
                "publisher" => {
                    source.publisher = self.text(l, key, value, true, limits::PUBLISHER);
                }
                "date" => source.date = self.date(l, key, value),
                "url_status" => match self.url_status(l, value) {
                    Some(status) => source.url_status = status,
                    None => ok = false,
                },
                _ => {}
            }
        }
        if source.url_status != UrlStatus::Live && source.archive_url.is_none() && ok {
            let status = source.url_status.name();
            self.report.error(
                item.line_of("url_status"),
                Some("url_status"),
                format!("`url_status: {status}` sends readers to the archived copy, but the source has no `archive_url`"),
                Some("add `archive_url: \"https://web.archive.org/…\"`, or remove `url_status`".into()),
            );
            ok = false;
        }
        ok.then_some(source)
    }

    /// `posts`: each `{url?, author, handle?, platform?, date, text,
    /// archive_url?, image?}`.
    pub(crate) fn posts(&mut self, line: usize, v: &Value) -> Vec<Post> {
        if !self.at_most(line, "posts", v, limits::POSTS) {
            return Vec::new();
        }
        let items = self.mapping.list_of_maps(line, v, &POSTS, self.report);
        items.iter().filter_map(|item| self.post(item)).collect()
    }

    fn post(&mut self, item: &Item<'_>) -> Option<Post> {
        let (mut url, mut archive_url, mut image) = (None, None, None);
        let (mut author, mut handle, mut platform, mut date, mut text) =
            (None, None, None, None, None);
        let mut ok = true;
        let smart = |t: String| crate::content::typography::smarten(&t);
        for (key, value) in item.map {
            let l = item.line_of(key);
            let read = match key.as_str() {
                "url" => {
                    url = self.web_url(l, key, value);
                    url.is_some()
                }
                "archive_url" => {
                    archive_url = self.web_url(l, key, value);
                    archive_url.is_some()
                }
                "author" => {
                    author = self
                        .text(l, key, value, true, limits::POST_AUTHOR)
                        .map(smart);
                    author.is_some()
                }
                "handle" => {
                    handle = self.text(l, key, value, true, limits::POST_AUTHOR);
                    handle.is_some()
                }
                "platform" => {
                    platform = self.text(l, key, value, true, limits::POST_AUTHOR);
                    platform.is_some()
                }
                "date" => {
                    date = self.date(l, key, value);
                    date.is_some()
                }
                // The words as posted: not curled, since a quotation keeps its characters.
                "text" => {
                    text = self.text(l, key, value, true, limits::POST_TEXT);
                    text.is_some()
                }
                "image" => {
                    image = self.image(l, value);
                    image.is_some()
                }
                _ => true,
            };
            ok &= read;
        }
        let post = Post {
            url,
            author: author?,
            handle,
            platform,
            date: date?,
            text: text?,
            archive_url,
            image,
        };
        ok.then_some(post)
    }

    /// `url_status`: `live`, `dead` or `usurped`.
    fn url_status(&mut self, line: usize, v: &Value) -> Option<UrlStatus> {
        let text = self.text(line, "url_status", v, true, limits::URL)?;
        let found = UrlStatus::NAMES
            .iter()
            .find(|(name, _)| *name == text.trim().to_lowercase())
            .map(|&(_, status)| status);
        if found.is_none() {
            let names = UrlStatus::NAMES.map(|(n, _)| n);
            let hint = match crate::diagnostic::suggest(&text, names.iter().copied()) {
                Some(name) => format!("did you mean `{name}`?"),
                None => "write `live`, `dead` (the piece is gone) or `usurped` (the address now shows something else)".into(),
            };
            self.report.error(
                line,
                Some("url_status"),
                format!("`url_status` `{text}` is not one of `live`, `dead`, `usurped`"),
                Some(hint),
            );
        }
        found
    }
}
