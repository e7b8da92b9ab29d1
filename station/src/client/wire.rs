//! Decoding of push acknowledgements.
//!
//! `domain::sync::EventAck` combines `deny_unknown_fields` with a flattened
//! outcome, which serde cannot deserialize: every answer fails with
//! "unknown field `status`". These mirrors read the same JSON without that
//! attribute and convert into the domain types; the wire format is
//! unchanged.
//!
//! FIXME: drop this module once `EventAck` in `domain` deserializes (remove
//! `deny_unknown_fields` from it; the flattened outcome still rejects
//! unknown fields).

use domain::sync::AckOutcome;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub(super) struct PushAck {
    acks: Vec<EventAck>,
}

#[derive(Deserialize)]
pub(super) struct EventAck {
    id: Uuid,
    #[serde(flatten)]
    outcome: AckOutcome,
}

impl From<PushAck> for domain::sync::PushAck {
    fn from(answer: PushAck) -> Self {
        domain::sync::PushAck {
            acks: answer.acks.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<EventAck> for domain::sync::EventAck {
    fn from(ack: EventAck) -> Self {
        domain::sync::EventAck {
            id: ack.id,
            outcome: ack.outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_outcome() {
        let text = r#"{"acks":[
            {"id":"01900000-0000-7000-8000-000000000001","status":"applied","seq":7},
            {"id":"01900000-0000-7000-8000-000000000002","status":"duplicate","seq":7,
             "issued":{"code":"K7M2QX","expires_at":"2026-12-05T09:00:00Z"}},
            {"id":"01900000-0000-7000-8000-000000000003","status":"rejected",
             "code":"transition.invalid","message":"Талон уже обслужен","current_state":"done"}
        ]}"#;
        let answer: domain::sync::PushAck = serde_json::from_str::<PushAck>(text)
            .expect("decode")
            .into();
        assert_eq!(answer.acks.len(), 3);
        assert_eq!(
            answer.acks[0].outcome,
            AckOutcome::Applied {
                seq: 7,
                issued: None
            }
        );
        let AckOutcome::Duplicate {
            seq: 7,
            issued: Some(code),
        } = &answer.acks[1].outcome
        else {
            panic!("expected a duplicate with a code");
        };
        assert_eq!(code.code, "K7M2QX");
        assert_eq!(
            answer.acks[2].outcome,
            AckOutcome::Rejected {
                code: "transition.invalid".to_owned(),
                message: "Талон уже обслужен".to_owned(),
                current_state: Some("done".to_owned()),
            }
        );
    }

    #[test]
    fn rejects_unknown_outcome_field() {
        let text = r#"{"acks":[{"id":"01900000-0000-7000-8000-000000000001","status":"applied","seq":7,"extra":1}]}"#;
        assert!(serde_json::from_str::<PushAck>(text).is_err());
    }
}
