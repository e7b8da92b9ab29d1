//! Enforces the layering written in ARCHITECTURE.md on the real resolved
//! workspace: a forbidden crate anywhere below a workspace crate fails the
//! test with the path that brought it in.

use cargo_metadata::MetadataCommand;
use tests::deps::Graph;

/// Crates that do I/O: async runtimes, sockets, files, databases, devices.
const IO: &[&str] = &[
    "tokio",
    "mio",
    "async-std",
    "smol",
    "socket2",
    "rusqlite",
    "libsqlite3-sys",
    "sqlx",
    "postgres",
    "tokio-postgres",
    "pcsc",
    "pcsc-sys",
    "escpos",
    "serialport",
    "rusb",
    "nusb",
    "hidapi",
    "cryptoki",
    "jiff-tzdb-platform",
    "notify",
];
/// Crates that serve or call HTTP.
const HTTP: &[&str] = &[
    "axum",
    "hyper",
    "reqwest",
    "ureq",
    "tower-http",
    "actix-web",
    "warp",
    "h2",
];
/// Crates that draw a user interface.
const UI: &[&str] = &["slint", "winit", "femtovg", "skia-safe", "gtk", "egui"];
/// Okno's own crates that sit above the domain.
const UPPER: &[&str] = &[
    "hardware",
    "ui",
    "station",
    "kiosk",
    "operator",
    "sync-server",
];

fn is_ui(name: &str) -> bool {
    UI.contains(&name) || name.starts_with("i-slint-")
}

fn graph() -> Graph {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
    let metadata = MetadataCommand::new()
        .manifest_path(root)
        .exec()
        .expect("cargo metadata runs on the workspace");
    Graph::from_metadata(&metadata)
}

fn assert_none(graph: &Graph, root: &str, rule: &str, is_forbidden: impl Fn(&str) -> bool) {
    let paths = graph.forbidden_paths(root, is_forbidden);
    let shown: Vec<String> = paths.iter().map(|path| path.join(" -> ")).collect();
    assert!(
        shown.is_empty(),
        "{root} must not depend on {rule}, but: {}",
        shown.join("; ")
    );
}

#[test]
fn domain_has_no_io_http_ui_or_upper_crates() {
    let graph = graph();
    assert_none(
        &graph,
        "domain",
        "an I/O, HTTP, UI or higher Okno crate",
        |name| IO.contains(&name) || HTTP.contains(&name) || is_ui(name) || UPPER.contains(&name),
    );
}

#[test]
fn hardware_has_neither_slint_nor_axum() {
    let graph = graph();
    assert_none(
        &graph,
        "hardware",
        "Slint, axum or an Okno application crate",
        |name| {
            is_ui(name)
                || name == "axum"
                || ["ui", "station", "kiosk", "operator", "sync-server"].contains(&name)
        },
    );
}

#[test]
fn sync_server_has_no_slint() {
    let graph = graph();
    assert_none(&graph, "sync-server", "Slint or a station crate", |name| {
        is_ui(name) || ["ui", "station", "kiosk", "operator"].contains(&name)
    });
}

#[test]
fn station_has_no_slint_or_axum() {
    let graph = graph();
    assert_none(&graph, "station", "Slint, axum or the server", |name| {
        is_ui(name) || name == "axum" || ["ui", "kiosk", "operator", "sync-server"].contains(&name)
    });
}
