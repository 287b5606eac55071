//! The comm registry: which comm targets the kernel offers and which comms are open.

use std::collections::{BTreeMap, BTreeSet};

/// Open comms (`comm_id` → `target_name`) and the targets a `comm_open` may name.
#[derive(Debug, Default)]
pub(crate) struct CommRegistry {
    targets: BTreeSet<String>,
    open: BTreeMap<String, String>,
}

impl CommRegistry {
    /// An empty registry: no targets yet, so every `comm_open` is refused.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Opens `comm_id` on `target_name`; false (nothing recorded) if the target is unknown.
    pub(crate) fn open(&mut self, comm_id: &str, target_name: &str) -> bool {
        if !self.targets.contains(target_name) {
            return false;
        }
        self.open.insert(comm_id.to_owned(), target_name.to_owned());
        true
    }

    /// Closes `comm_id`; false if it was not open.
    pub(crate) fn close(&mut self, comm_id: &str) -> bool {
        self.open.remove(comm_id).is_some()
    }

    /// Whether `comm_id` is open.
    pub(crate) fn is_open(&self, comm_id: &str) -> bool {
        self.open.contains_key(comm_id)
    }

    /// Open comms as `(comm_id, target_name)`, only those on `target` if given.
    pub(crate) fn list<'a>(
        &'a self,
        target: Option<&'a str>,
    ) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.open
            .iter()
            .filter(move |(_, name)| target.is_none_or(|target| *name == target))
            .map(|(id, name)| (id.as_str(), name.as_str()))
    }

    #[cfg(test)]
    fn add_target(&mut self, target_name: &str) {
        self.targets.insert(target_name.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_targets_are_refused_known_ones_listed_and_closed() {
        let mut comms = CommRegistry::new();
        assert!(!comms.open("c1", "jupyter.widget"));
        assert_eq!(comms.list(None).count(), 0);
        comms.add_target("jupyter.widget");
        comms.add_target("other");
        assert!(comms.open("c1", "jupyter.widget"));
        assert!(comms.open("c2", "other"));
        assert!(comms.is_open("c1"));
        assert_eq!(
            comms.list(Some("other")).collect::<Vec<_>>(),
            [("c2", "other")]
        );
        assert_eq!(comms.list(None).count(), 2);
        assert!(comms.close("c1"));
        assert!(!comms.close("c1"));
        assert!(!comms.is_open("c1"));
    }
}
