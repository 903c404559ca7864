//! A quoted social post's words as HTML: escaped, its line breaks kept, and the
//! addresses in it made links that tell search engines the site does not vouch
//! for them (`rel="nofollow ugc"`). Only `http(s)` addresses become links, so a
//! post cannot smuggle a `javascript:` one in.

/// `text` as HTML for a post card.
pub(crate) fn text_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push_str("<br>\n");
        }
        let mut rest = line;
        while !rest.is_empty() {
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (word, after) = rest.split_at(word_end);
            let space_end = after
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(after.len());
            let (space, next) = after.split_at(space_end);
            push_word(&mut out, word);
            out.push_str(&html(space));
            rest = next;
        }
    }
    out
}

/// The `http(s)` address `word` is, without the punctuation that ends a
/// sentence after it.
fn web_address(word: &str) -> Option<&str> {
    let address = word.trim_end_matches([
        '.', ',', ';', ':', '!', '?', ')', '"', '\u{201d}', '\u{2019}',
    ]);
    let is_web = (address.starts_with("https://") || address.starts_with("http://"))
        && url::Url::parse(address).is_ok_and(|u| u.host().is_some());
    is_web.then_some(address)
}

/// The first address a post's text links: what it shares, for the JSON-LD.
pub(crate) fn first_link(text: &str) -> Option<&str> {
    text.split_whitespace().find_map(web_address)
}

/// One word: a link when it is an `http(s)` address, with the punctuation
/// that ends a sentence left outside it.
fn push_word(out: &mut String, word: &str) {
    if let Some(address) = web_address(word) {
        let shown = html(address);
        out.push_str(&format!(
            "<a href=\"{shown}\" rel=\"nofollow ugc\">{shown}</a>"
        ));
        out.push_str(&html(&word[address.len()..]));
    } else {
        out.push_str(&html(word));
    }
}

fn html(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = crate::escape::html_to(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::text_html;

    #[test]
    fn keeps_lines_escapes_and_links_only_web_addresses() {
        assert_eq!(text_html("Me too.\nSee https://e.org/a?b=1&c=2."), "Me too.<br>\nSee <a href=\"https://e.org/a?b=1&amp;c=2\" rel=\"nofollow ugc\">https://e.org/a?b=1&amp;c=2</a>.");
        assert_eq!(
            text_html("<script>alert(1)</script> javascript:alert(2) \"q\""),
            "&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(2) &quot;q&quot;"
        );
        assert_eq!(text_html("a  b"), "a  b");
        assert_eq!(text_html("https://"), "https://");
    }
}
