//! What the entries say together: the configuration (`config`), the linked site
//! (`link`: order, links, backlinks, `taxonomy`), the index of cited publishers
//! (`sources`), warnings over the whole site (`lint`, and `history`, from git,
//! for `check` only; `links`, the addresses asked over the network, for
//! `check --links` only), and the loaded state that `serve` refreshes file by file
//! (`workspace`).

pub(crate) mod config;
pub(crate) mod history;
pub(crate) mod link;
pub(crate) mod links;
pub(crate) mod lint;
pub(crate) mod relink;
pub(crate) mod sources;
pub(crate) mod taxonomy;
pub(crate) mod workspace;
