//! What one content file says: reading the files (`load`), splitting front matter
//! from body (`frontmatter`), YAML (`yaml`), the entry model and its parser
//! (`entry`), and Markdown (`markdown`). Nothing here looks at a second entry.

pub mod entry;
pub mod frontmatter;
pub mod load;
pub mod markdown;
pub mod yaml;
