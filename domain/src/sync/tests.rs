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
