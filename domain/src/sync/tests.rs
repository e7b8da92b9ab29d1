//! Exact JSON of the protocol types, so a station and the server built from
//! different commits notice a wire change in review, not in production.

use jiff::Timestamp;
use uuid::Uuid;

use super::*;
use crate::ticket::WindowNumber;

const ID: &str = "01938f6e-6a00-7000-8000-000000000001";
const TICKET: &str = "01938f6e-6a00-7000-8000-000000000002";

#[test]
fn envelope_exact_json() {
    let envelope = EventEnvelope {
        id: Uuid::parse_str(ID).unwrap(),
        occurred_at: "2026-12-04T06:00:00Z".parse::<Timestamp>().unwrap(),
        kind: EventKind::TicketCalled(TicketCalled {
            ticket_id: Uuid::parse_str(TICKET).unwrap(),
            window: WindowNumber::new(4).unwrap(),
        }),
    };
    let json = serde_json::to_string(&envelope).unwrap();
    assert_eq!(
        json,
        format!(
            r#"{{"id":"{ID}","occurred_at":"2026-12-04T06:00:00Z","kind":{{"type":"ticket_called","data":{{"ticket_id":"{TICKET}","window":4}}}}}}"#
        )
    );
    assert_eq!(
        serde_json::from_str::<EventEnvelope>(&json).unwrap(),
        envelope
    );
}

#[test]
fn ack_outcomes_exact_json() {
    let applied = EventAck {
        id: Uuid::parse_str(ID).unwrap(),
        outcome: AckOutcome::Applied {
            seq: 7,
            issued: None,
        },
    };
    assert_eq!(
        serde_json::to_string(&applied).unwrap(),
        format!(r#"{{"id":"{ID}","status":"applied","seq":7}}"#)
    );

    let rejected = EventAck {
        id: Uuid::parse_str(ID).unwrap(),
        outcome: AckOutcome::Rejected {
            code: "ticket.invalid_transition".into(),
            message: "нельзя".into(),
            current_state: Some("done".into()),
        },
    };
    let json = serde_json::to_string(&rejected).unwrap();
    assert_eq!(
        json,
        format!(
            r#"{{"id":"{ID}","status":"rejected","code":"ticket.invalid_transition","message":"нельзя","current_state":"done"}}"#
        )
    );
    assert_eq!(serde_json::from_str::<EventAck>(&json).unwrap(), rejected);
}

#[test]
fn unknown_field_is_rejected() {
    let json = r#"{"token":"ab","label":"Киоск","extra":1}"#;
    let error = serde_json::from_str::<EnrollRequest>(json).unwrap_err();
    assert!(
        error.to_string().starts_with("unknown field `extra`"),
        "{error}"
    );
}

#[test]
fn personal_data_debug_is_redacted() {
    let login = LoginRequest {
        login: "ivanova".into(),
        password: "Зима#Сн3г!".into(),
    };
    assert_eq!(
        format!("{login:?}"),
        r#"LoginRequest { login: "ivanova", password: "<redacted>" }"#
    );
}

#[test]
fn contact_code_bodies_exact_json() {
    let request = Uuid::parse_str(ID).unwrap();
    let asked: ContactCodeRequest = serde_json::from_str(&format!(
        r#"{{"request_id":"{ID}","contact":"phone","value":"+79123456789"}}"#
    ))
    .unwrap();
    assert_eq!(asked.contact, ContactKind::Phone);
    assert!(!format!("{asked:?}").contains("+7912"));

    let sent = ContactCodeSent {
        request_id: request,
        contact: ContactKind::Email,
        expires_at: "2026-12-04T06:05:00Z".parse::<Timestamp>().unwrap(),
        resend_at: "2026-12-04T06:01:00Z".parse::<Timestamp>().unwrap(),
        attempts_left: 3,
    };
    assert_eq!(
        serde_json::to_string(&sent).unwrap(),
        format!(
            r#"{{"request_id":"{ID}","contact":"email","expires_at":"2026-12-04T06:05:00Z","resend_at":"2026-12-04T06:01:00Z","attempts_left":3}}"#
        )
    );

    let verify: ContactVerify = serde_json::from_str(&format!(
        r#"{{"request_id":"{ID}","contact":"email","code":"123 456"}}"#
    ))
    .unwrap();
    assert!(!format!("{verify:?}").contains("123"));
    assert!(serde_json::from_str::<ContactResend>(&format!(
        r#"{{"request_id":"{ID}","contact":"fax"}}"#
    ))
    .is_err());
}

#[test]
fn limit_error_exact_json() {
    let body = ErrorBody {
        code: "contact.resend_too_early".into(),
        message: "Код уже отправлен.".into(),
        fields: Vec::new(),
        current_state: None,
        locked_until: None,
        retry_at: Some("2026-12-04T06:01:00Z".parse::<Timestamp>().unwrap()),
        attempts_left: None,
    };
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"code":"contact.resend_too_early","message":"Код уже отправлен.","retry_at":"2026-12-04T06:01:00Z"}"#
    );
    // An older server's error without the new fields still parses.
    let old: ErrorBody = serde_json::from_str(r#"{"code":"auth.revoked","message":"m"}"#).unwrap();
    assert_eq!(old.retry_at, None);
    assert_eq!(old.attempts_left, None);
}

#[test]
fn code_redeem_exact_json() {
    let redeemed = CodeRedeemed {
        request_id: Uuid::parse_str(ID).unwrap(),
        center_id: Uuid::parse_str(TICKET).unwrap(),
        redeemed_at: "2026-12-04T06:00:00Z".parse::<Timestamp>().unwrap(),
    };
    assert_eq!(
        serde_json::to_string(&redeemed).unwrap(),
        format!(
            r#"{{"request_id":"{ID}","center_id":"{TICKET}","redeemed_at":"2026-12-04T06:00:00Z"}}"#
        )
    );
    let asked: CodeRedeemRequest =
        serde_json::from_str(r#"{"code":"AC3H7X","snils":"112-233-445 95"}"#).unwrap();
    assert_eq!(format!("{asked:?}"), "CodeRedeemRequest { <redacted> }");
}

#[test]
fn chip_result_typed_access_exact_json() {
    let chip = ChipResult {
        mrz: "P<RUS".into(),
        passive_auth: "passed".into(),
        photo_base64: None,
        typed_document_number: Some("751234567".into()),
        typed_expiry_date: Some(jiff::civil::date(2030, 1, 1)),
    };
    let json = serde_json::to_string(&chip).unwrap();
    assert_eq!(
        json,
        r#"{"mrz":"P<RUS","passive_auth":"passed","photo_base64":null,"typed_document_number":"751234567","typed_expiry_date":"2030-01-01"}"#
    );
    assert_eq!(serde_json::from_str::<ChipResult>(&json).unwrap(), chip);
    assert_eq!(
        format!("{chip:?}"),
        r#"ChipResult { mrz: "<redacted>", passive_auth: "passed", photo: None, typed_document_number: Some("<redacted>"), typed_expiry_date: Some("<redacted>") }"#
    );
}

#[test]
fn chip_result_without_typed_access_keeps_old_json() {
    // A kiosk built before the typed access values sends this; a console
    // reads it with the values absent, and the JSON written back is unchanged.
    let old = r#"{"mrz":"P<RUS","passive_auth":"not_checked","photo_base64":null}"#;
    let chip: ChipResult = serde_json::from_str(old).unwrap();
    assert_eq!(chip.typed_document_number, None);
    assert_eq!(chip.typed_expiry_date, None);
    assert_eq!(serde_json::to_string(&chip).unwrap(), old);
}
