//! What the entries say together: the configuration (`config`), the linked site
//! (`link`: order, links, backlinks, `taxonomy`), the index of cited publishers
//! (`sources`), warnings over the whole site (`lint`), and the loaded state that
//! `serve` refreshes file by file (`workspace`).

pub mod config;
pub mod link;
pub mod lint;
pub mod relink;
pub mod sources;
pub mod taxonomy;
pub mod workspace;
