//! What one content file says: reading the files (`load`), splitting front matter
//! from body (`frontmatter`), YAML (`yaml`), the entry model (`entry`), its parser
//! (`parse`) and typed field readers (`fields`), the files an entry may publish
//! (`assets`), and Markdown (`markdown`). Nothing here looks at a second entry.

pub(crate) mod assets;
pub(crate) mod citations;
pub(crate) mod entry;
pub(crate) mod fields;
pub(crate) mod frontmatter;
pub(crate) mod load;
pub(crate) mod markdown;
pub(crate) mod nesting;
pub(crate) mod parse;
pub(crate) mod typography;
pub(crate) mod yaml;
