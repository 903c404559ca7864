//! What one content file says: reading the files (`load`), splitting front matter
//! from body (`frontmatter`), YAML (`yaml`), the entry model (`entry`), its parser
//! (`parse`) and typed field readers (`fields`), the files an entry may publish
//! (`assets`), and Markdown (`markdown`). Nothing here looks at a second entry.

pub mod assets;
pub mod entry;
pub mod fields;
pub mod frontmatter;
pub mod load;
pub mod markdown;
pub mod parse;
pub mod yaml;
