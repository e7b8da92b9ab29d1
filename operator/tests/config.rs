//! Loading `/etc/okno/operator.toml`: a good file, and a clear error for
//! each kind of bad one.

use std::path::Path;

use domain::ticket::{ServiceCategory, WindowNumber};
use operator::config::Config;

const GOOD: &str = r#"
window = 3
services = ["identity_confirmation", "restore_access"]
idle_lock_minutes = 10

[printer]
uri = "tcp://127.0.0.1:9100"
"#;

fn error(text: &str) -> String {
    Config::parse(Path::new("/etc/okno/operator.toml"), text)
        .expect_err("the configuration is invalid")
        .to_string()
}

#[test]
fn good_file_parses() {
    let config = Config::parse(Path::new("operator.toml"), GOOD).expect("valid configuration");

    assert_eq!(config.window, WindowNumber::new(3).expect("3"));
    assert_eq!(
        config.services,
        [
            ServiceCategory::IdentityConfirmation,
            ServiceCategory::RestoreAccess
        ]
    );
    assert_eq!(config.idle_lock_minutes, 10);
    assert_eq!(config.printer_uri, "tcp://127.0.0.1:9100");
}

#[test]
fn file_read_from_disk() {
    let directory = tempfile::tempdir().expect("a temporary folder");
    let path = directory.path().join("operator.toml");
    std::fs::write(&path, GOOD).expect("the file is written");

    assert_eq!(
        Config::load(&path).expect("valid").printer_uri,
        "tcp://127.0.0.1:9100"
    );
}

#[test]
fn missing_file_names_path_and_flag() {
    let message = Config::load(Path::new("/nonexistent/okno/operator.toml"))
        .expect_err("no such file")
        .to_string();

    assert!(
        message.starts_with("cannot read the configuration file /nonexistent/okno/operator.toml: "),
        "{message}"
    );
    assert!(
        message.ends_with("; create it or pass --config PATH"),
        "{message}"
    );
}

#[test]
fn idle_lock_defaults_to_five_minutes() {
    let text = GOOD.replace("idle_lock_minutes = 10\n", "");

    let config = Config::parse(Path::new("operator.toml"), &text).expect("valid");

    assert_eq!(config.idle_lock_minutes, 5);
}

#[test]
fn bad_values_are_named() {
    assert_eq!(
        error(&GOOD.replace("window = 3", "window = 0")),
        "/etc/okno/operator.toml: `window` is 0, but a window number is 1 to 999"
    );
    assert_eq!(
        error(&GOOD.replace("window = 3", "window = 1000")),
        "/etc/okno/operator.toml: `window` is 1000, but a window number is 1 to 999"
    );
    assert_eq!(
        error(&GOOD.replace("\"restore_access\"", "\"passports\"")),
        "/etc/okno/operator.toml: `services` is \"passports\", but each service is one of \"identity_confirmation\", \"registration\", \"restore_access\", \"other_services\""
    );
    assert_eq!(
        error(&GOOD.replace("[\"identity_confirmation\", \"restore_access\"]", "[]")),
        "/etc/okno/operator.toml: `services` is empty, but at least one service is needed"
    );
    assert_eq!(
        error(&GOOD.replace("idle_lock_minutes = 10", "idle_lock_minutes = 0")),
        "/etc/okno/operator.toml: `idle_lock_minutes` is 0, but the lock delay is 1 to 240 minutes"
    );
    assert_eq!(
        error(&GOOD.replace("tcp://127.0.0.1:9100", " ")),
        "/etc/okno/operator.toml: `printer.uri` is empty, but a printer URI is needed, such as tcp://192.0.2.10:9100"
    );
}

#[test]
fn syntax_and_unknown_keys_are_reported() {
    let message = error("window = \n");
    assert!(message.starts_with("the configuration file /etc/okno/operator.toml is not valid TOML for the operator console: "), "{message}");

    let message = error(&GOOD.replace("window = 3", "window = 3\nprinter_uri = \"x\""));
    assert!(message.contains("printer_uri"), "{message}");

    let message = error(&GOOD.replace("[printer]\nuri = \"tcp://127.0.0.1:9100\"\n", ""));
    assert!(message.contains("printer"), "{message}");
}
