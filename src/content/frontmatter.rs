//! Splits an entry file into its YAML front matter (between a first line `---` and
//! the next `---` line) and its Markdown body, keeping line numbers for both.

/// The two parts of an entry file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML text between the fences.
    pub yaml: &'a str,
    /// File line of the YAML's first line (1-based).
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_start: usize,
    /// File line of the body's first line.
    pub body_line: usize,
}

/// Why a file has no usable front matter: a line and a message with its fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: &'static str,
    /// The fix.
    pub help: &'static str,
}

/// Splits `text` (already BOM-free with `\n` line endings).
pub(crate) fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        let message = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file does not start with front matter"
        };
        return Err(SplitError {
            line: 1,
            message,
            help: "start the file with a `---` line, then `title:` and `date:`, then a closing `---` line",
        });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_start,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        line: 1,
        message: "the front matter is not closed",
        help: "add a `---` line after the last front-matter key",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers() {
        let s = split("---\ntitle: x\ndate: 2017\n---\nBody\n").expect("valid");
        assert_eq!(s.yaml, "title: x\ndate: 2017\n");
        assert_eq!((s.yaml_line, s.body_line), (2, 5));
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn accepts_trailing_spaces_and_no_body() {
        let s = split("--- \ntitle: x\n---").expect("valid");
        assert_eq!((s.yaml, s.body), ("title: x\n", ""));
    }

    #[test]
    fn explains_missing_or_unclosed_front_matter() {
        assert_eq!(split("").expect_err("empty").message, "the file is empty");
        assert_eq!(split("# Title\n").expect_err("none").line, 1);
        assert_eq!(
            split("---\ntitle: x\n").expect_err("open").message,
            "the front matter is not closed"
        );
    }
}
