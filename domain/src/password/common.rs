//! The bundled list of common passwords and the lookup against it.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The list, one lower-case entry a line. The file's header states the
/// matching rule.
const LIST: &str = include_str!("common.txt");

static ENTRIES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| entries().collect());

/// Returns the list's entries, skipping blank lines and `#` comments.
pub fn entries() -> impl Iterator<Item = &'static str> {
    LIST.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Tells whether `password`, ignoring case, is on the list whole or once
/// the digits and special characters at its start and end are removed.
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());

    ENTRIES.contains(lower.as_str()) || ENTRIES.contains(core)
}
