//! The console's real parts on their own: the `domain::mrz` interpreter,
//! the ticket QR check with the center's key, and the new configuration
//! keys with their defaults.

use std::path::Path;

use domain::ticket_qr::{CenterCode, TicketQr, TicketQrKey};
use jiff::tz::{self, TimeZone};
use jiff::{SignedDuration, Timestamp};
use operator::chip::{DomainMrz, MrzInterpreter};
use operator::config::Config;
use operator::qr::{QrError, QrVerifier, SignedQrVerifier};
use uuid::Uuid;

// ICAO Doc 9303 Part 4 specimen passport.
const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

#[test]
fn zone_fields_from_the_specimen() {
    let fields = DomainMrz.parse(TD3).expect("the specimen parses");
    assert_eq!(fields.surname, "ERIKSSON");
    assert_eq!(fields.given_names, "ANNA MARIA");
    assert_eq!(fields.birth_date, jiff::civil::date(1974, 8, 12));
    assert_eq!(fields.expiry_date, jiff::civil::date(2012, 4, 15));
    assert_eq!(fields.document_number, "L898902C3");
    assert_eq!(fields.sex, "F");
    assert_eq!(fields.nationality, "UTO");
}

#[test]
fn altered_zone_does_not_parse() {
    assert!(DomainMrz
        .parse(&TD3.replace("7408122", "7408132"))
        .is_none());
}

#[test]
fn cyrillic_names_compared_under_each_scheme() {
    assert!(DomainMrz.name_matches("Мария Петровна", "MARIIA PETROVNA"));
    assert!(DomainMrz.name_matches("Мария Петровна", "MARIYA PETROVNA"));
    assert!(DomainMrz.name_matches("Щукина", "SHCHUKINA"));
    assert!(!DomainMrz.name_matches("Иванова", "IVANOV"));
}

#[test]
fn travel_passport_numbers_compared() {
    assert!(DomainMrz.document_matches("751234567", "751234567"));
    assert!(DomainMrz.document_matches("75123456", "75123456<"));
    assert!(!DomainMrz.document_matches("751234568", "751234567"));
    // The internal passport is not the chip's document.
    assert!(!DomainMrz.document_matches("4510 123456", "751234567"));
    assert!(!DomainMrz.document_matches("", ""));
}

const KEY: [u8; 32] = *b"okno-test-ticket-qr-key-32-bytes";

fn moscow() -> TimeZone {
    TimeZone::fixed(tz::offset(3))
}

fn payload(ticket_id: Uuid, issued_at: Timestamp, key: &[u8]) -> String {
    TicketQr {
        ticket_id,
        center: CenterCode::new("MFC-77-014").expect("a center code"),
        issued_at,
    }
    .encode(&TicketQrKey::new(key).expect("a long enough key"))
}

fn verifier() -> SignedQrVerifier {
    SignedQrVerifier::new(TicketQrKey::new(&KEY).expect("key"), moscow())
}

#[test]
fn ticket_qr_verdicts() {
    let ticket = Uuid::from_u128(42);
    // 12:00 in Moscow.
    let now: Timestamp = "2026-12-04T09:00:00Z".parse().expect("instant");
    let hours = |count| SignedDuration::from_hours(count);
    let earlier_today = now.checked_sub(hours(8)).expect("in range");
    let late_yesterday = now.checked_sub(hours(13)).expect("in range");

    assert_eq!(
        verifier().verify(&payload(ticket, earlier_today, &KEY), now),
        Ok(ticket)
    );
    // 23:00 the day before, in Moscow: 13 hours old, but another day.
    assert_eq!(
        verifier().verify(&payload(ticket, late_yesterday, &KEY), now),
        Err(QrError::Expired)
    );
    assert_eq!(
        verifier().verify(&payload(ticket, now, &[9; 32]), now),
        Err(QrError::Forged)
    );
    assert_eq!(
        verifier().verify(
            &payload(ticket, now, &KEY).replace("MFC-77-014", "MFC-77-015"),
            now
        ),
        Err(QrError::Forged)
    );
    assert_eq!(
        verifier().verify(
            &payload(ticket, now.checked_add(hours(1)).expect("in range"), &KEY),
            now
        ),
        Err(QrError::IssuedInFuture)
    );
    assert_eq!(verifier().verify("П-001", now), Err(QrError::Malformed));
}

#[test]
fn ticket_qr_key_file_is_checked() {
    let directory = tempfile::tempdir().expect("a temporary folder");
    let good = directory.path().join("good.key");
    std::fs::write(&good, format!("{}\n", hex_text(&KEY))).expect("write");
    let ticket = Uuid::from_u128(7);
    let now: Timestamp = "2026-12-04T09:00:00Z".parse().expect("instant");
    let loaded = SignedQrVerifier::from_key_file(&good, moscow()).expect("a valid key file");
    assert_eq!(loaded.verify(&payload(ticket, now, &KEY), now), Ok(ticket));

    let short = directory.path().join("short.key");
    std::fs::write(&short, "00ff").expect("write");
    let message = SignedQrVerifier::from_key_file(&short, moscow())
        .expect_err("a short key")
        .to_string();
    assert_eq!(
        message,
        format!(
            "the ticket QR key file {} does not hold a key of at least 32 bytes in hex; copy the center's key into it",
            short.display()
        )
    );
}

fn hex_text(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn new_keys_have_defaults() {
    let config = Config::parse(
        Path::new("operator.toml"),
        "window = 3\nservices = [\"registration\"]\n[printer]\nuri = \"tcp://127.0.0.1:9100\"\n",
    )
    .expect("valid");
    assert_eq!(config.data_dir, Path::new("/var/lib/okno/operator"));
    assert_eq!(config.printer_profile, "generic-80");
    assert_eq!(config.center_name, "Многофункциональный центр");
    assert_eq!(config.time_zone, None);
    assert_eq!(config.ticket_qr_key_file, None);
}

#[test]
fn new_keys_are_read() {
    let config = Config::parse(
        Path::new("operator.toml"),
        r#"
window = 3
services = ["registration"]
data_dir = "/srv/okno/console"
center_name = "МФЦ района Арбат"
time_zone = "Europe/Moscow"
ticket_qr_key_file = "/etc/okno/ticket-qr.key"

[printer]
uri = "tcp://127.0.0.1:9100"
profile = "generic-58"
"#,
    )
    .expect("valid");
    assert_eq!(config.data_dir, Path::new("/srv/okno/console"));
    assert_eq!(config.printer_profile, "generic-58");
    assert_eq!(config.center_name, "МФЦ района Арбат");
    assert_eq!(config.time_zone.as_deref(), Some("Europe/Moscow"));
    assert_eq!(
        config.ticket_qr_key_file.as_deref(),
        Some(Path::new("/etc/okno/ticket-qr.key"))
    );
}

#[test]
fn unknown_time_zone_is_refused() {
    let message = Config::parse(
        Path::new("/etc/okno/operator.toml"),
        "window = 3\nservices = [\"registration\"]\ntime_zone = \"Europe/Atlantis\"\n[printer]\nuri = \"tcp://127.0.0.1:9100\"\n",
    )
    .expect_err("an unknown zone")
    .to_string();
    assert_eq!(
        message,
        "/etc/okno/operator.toml: `time_zone` is \"Europe/Atlantis\", but a time zone is an IANA name such as \"Europe/Moscow\""
    );
}

#[test]
fn missing_data_dir_says_to_provision() {
    let directory = tempfile::tempdir().expect("a temporary folder");
    let clock: std::sync::Arc<dyn domain::clock::Clock> =
        std::sync::Arc::new(domain::clock::SystemClock);
    let error = operator::backend::station::StationLink::open(
        &directory.path().join("never-provisioned"),
        clock,
        TimeZone::UTC,
    )
    .err()
    .expect("no credentials there")
    .to_string();
    assert!(
        error.ends_with("; enroll this console with `operator provision --server URL --token TOKEN --data-dir DIR` first"),
        "{error}"
    );
}
