//! A dependency graph read from `cargo metadata`, and the search for paths
//! from a workspace crate to a crate it must not depend on.
//!
//! Only normal and build dependencies count: dev-dependencies never reach a
//! shipped binary, so a test may use anything.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use cargo_metadata::{DependencyKind, Metadata};

/// Package names and the names each one depends on (normal and build edges).
#[derive(Debug, Default, Clone)]
pub struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// Builds the graph from resolved metadata, keyed by package name.
    pub fn from_metadata(metadata: &Metadata) -> Graph {
        let resolve = metadata
            .resolve
            .as_ref()
            .expect("cargo metadata was run with dependency resolution");
        let name_of = |id| metadata[id].name.to_string();
        let mut graph = Graph::default();
        for node in &resolve.nodes {
            let from = name_of(&node.id);
            for dep in &node.deps {
                let shipped = dep
                    .dep_kinds
                    .iter()
                    .any(|info| info.kind != DependencyKind::Development);
                if shipped {
                    graph.add_edge(&from, &name_of(&dep.pkg));
                }
            }
            graph.edges.entry(from).or_default();
        }
        graph
    }

    /// Adds one edge `from -> to`.
    pub fn add_edge(&mut self, from: &str, to: &str) {
        self.edges
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
    }

    /// Finds, for each forbidden crate reachable from `root`, one shortest
    /// path to it (`root -> ... -> forbidden`), so a failure shows which
    /// edge brought it in.
    pub fn forbidden_paths(
        &self,
        root: &str,
        is_forbidden: impl Fn(&str) -> bool,
    ) -> Vec<Vec<String>> {
        let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = VecDeque::from([root]);
        let mut found = Vec::new();
        while let Some(name) = queue.pop_front() {
            let Some(next) = self.edges.get(name) else {
                continue;
            };
            for dep in next {
                if dep == root || parent.contains_key(dep.as_str()) {
                    continue;
                }
                parent.insert(dep, name);
                if is_forbidden(dep) {
                    found.push(path_back(&parent, root, dep));
                } else {
                    queue.push_back(dep);
                }
            }
        }
        found
    }
}

fn path_back(parent: &BTreeMap<&str, &str>, root: &str, last: &str) -> Vec<String> {
    let mut path = vec![last.to_owned()];
    let mut at = last;
    while at != root {
        at = parent[at];
        path.push(at.to_owned());
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> Graph {
        let mut graph = Graph::default();
        for (from, to) in edges {
            graph.add_edge(from, to);
        }
        graph
    }

    #[test]
    fn indirect_forbidden_crate_is_found_with_its_path() {
        let graph = graph(&[("domain", "serde"), ("serde", "tokio"), ("tokio", "mio")]);
        let paths = graph.forbidden_paths("domain", |name| name == "tokio" || name == "mio");
        assert_eq!(paths, vec![vec!["domain", "serde", "tokio"]]);
    }

    #[test]
    fn clean_graph_has_no_forbidden_paths() {
        let graph = graph(&[("domain", "serde"), ("serde", "serde_derive")]);
        assert!(graph
            .forbidden_paths("domain", |name| name == "tokio")
            .is_empty());
    }

    #[test]
    fn dependency_cycle_terminates() {
        let graph = graph(&[("a", "b"), ("b", "a"), ("b", "slint")]);
        let paths = graph.forbidden_paths("a", |name| name == "slint");
        assert_eq!(paths, vec![vec!["a", "b", "slint"]]);
    }
}
