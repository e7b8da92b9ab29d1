use proptest::prelude::*;

use super::*;

fn photo_mismatch() -> RejectReason {
    RejectReason::standard(RejectReasonCode::PhotoMismatch).unwrap()
}

fn all_states() -> Vec<RequestState> {
    vec![
        RequestState::Waiting,
        RequestState::InProgress,
        RequestState::Confirmed,
        RequestState::Rejected {
            reason: photo_mismatch(),
        },
        RequestState::Cancelled,
        RequestState::NoShow,
    ]
}

fn all_actions() -> Vec<RequestAction> {
    vec![
        RequestAction::Take,
        RequestAction::Release,
        RequestAction::Confirm,
        RequestAction::Reject {
            reason: photo_mismatch(),
        },
        RequestAction::Cancel,
        RequestAction::MarkNoShow,
    ]
}

/// The allowed moves, written out by hand from the module's diagram.
fn expected_next(state: RequestStatus, action: RequestActionKind) -> Option<RequestStatus> {
    use RequestActionKind as A;
    use RequestStatus as S;

    match (state, action) {
        (S::Waiting, A::Take) => Some(S::InProgress),
        (S::Waiting, A::Cancel) => Some(S::Cancelled),
        (S::Waiting, A::MarkNoShow) => Some(S::NoShow),
        (S::InProgress, A::Release) => Some(S::Waiting),
        (S::InProgress, A::Confirm) => Some(S::Confirmed),
        (S::InProgress, A::Reject) => Some(S::Rejected),
        (S::InProgress, A::Cancel) => Some(S::Cancelled),
        (S::InProgress, A::MarkNoShow) => Some(S::NoShow),
        _ => None,
    }
}

#[test]
fn every_state_action_pair_matches_table() {
    for state in all_states() {
        for action in all_actions() {
            let kind = action.kind();
            let result = state.apply(action);

            match expected_next(state.status(), kind) {
                Some(next) => {
                    assert_eq!(result.unwrap().status(), next, "{state:?} + {kind}");
                }
                None => assert_eq!(
                    result,
                    Err(TransitionError {
                        state: state.status(),
                        action: kind,
                    }),
                    "{state:?} + {kind}"
                ),
            }
        }
    }
}

#[test]
fn reject_keeps_reason() {
    let reason = RejectReason::new(RejectReasonCode::Other, Some("  Паспорт в обложке  ")).unwrap();

    let next = RequestState::InProgress
        .apply(RequestAction::Reject {
            reason: reason.clone(),
        })
        .unwrap();

    assert_eq!(next, RequestState::Rejected { reason });
}

#[test]
fn confirm_twice_names_state_and_action() {
    let confirmed = RequestState::InProgress
        .apply(RequestAction::Confirm)
        .unwrap();

    let err = confirmed.apply(RequestAction::Confirm).unwrap_err();

    assert_eq!(err.state, RequestStatus::Confirmed);
    assert_eq!(err.action, RequestActionKind::Confirm);
    assert_eq!(
        err.to_string(),
        "cannot confirm a request that is confirmed; reload the request and check its status"
    );
    assert_eq!(
        err.message(Lang::Ru),
        "Действие невозможно: заявление уже в статусе «Подтверждено». Обновите список заявлений."
    );
}

#[test]
fn final_statuses() {
    let finals: Vec<_> = all_states()
        .iter()
        .filter(|state| state.is_final())
        .map(RequestState::status)
        .collect();

    assert_eq!(
        finals,
        [
            RequestStatus::Confirmed,
            RequestStatus::Rejected,
            RequestStatus::Cancelled,
            RequestStatus::NoShow
        ]
    );
}

#[test]
fn status_labels_in_russian() {
    assert_eq!(RequestStatus::Waiting.label(Lang::Ru), "Ожидает");
    assert_eq!(RequestStatus::InProgress.label(Lang::Ru), "В обработке");
    assert_eq!(RequestStatus::Confirmed.label(Lang::Ru), "Подтверждено");
    assert_eq!(RequestStatus::Rejected.label(Lang::Ru), "Отклонено");
}

#[test]
fn state_json_form() {
    let rejected = RequestState::Rejected {
        reason: photo_mismatch(),
    };

    let json = serde_json::to_string(&rejected).unwrap();

    assert_eq!(
        json,
        r#"{"state":"rejected","reason":{"code":"photo_mismatch"}}"#
    );
    assert_eq!(
        serde_json::from_str::<RequestState>(&json).unwrap(),
        rejected
    );
    assert_eq!(
        serde_json::to_string(&RequestState::InProgress).unwrap(),
        r#"{"state":"in_progress"}"#
    );
}

#[test]
fn transition_error_json_form() {
    let err = TransitionError {
        state: RequestStatus::NoShow,
        action: RequestActionKind::Take,
    };

    assert_eq!(
        serde_json::to_string(&err).unwrap(),
        r#"{"state":"no_show","action":"take"}"#
    );
}

#[test]
fn action_json_form() {
    let action = RequestAction::Reject {
        reason: RejectReason::new(RejectReasonCode::DataMismatch, Some("дата выдачи")).unwrap(),
    };

    assert_eq!(
        serde_json::to_string(&action).unwrap(),
        r#"{"action":"reject","reason":{"code":"data_mismatch","comment":"дата выдачи"}}"#
    );
    assert_eq!(
        serde_json::to_string(&RequestAction::MarkNoShow).unwrap(),
        r#"{"action":"mark_no_show"}"#
    );
}

#[test]
fn kind_names() {
    let cases = [
        (
            RequestKind::ConfirmIdentity,
            "confirm_identity",
            "Подтверждение личности",
        ),
        (
            RequestKind::Register,
            "register",
            "Регистрация учётной записи",
        ),
        (
            RequestKind::RestoreAccess,
            "restore_access",
            "Восстановление доступа",
        ),
    ];

    for (kind, code, russian) in cases {
        assert_eq!(kind.code(), code);
        assert_eq!(kind.name(Lang::Ru), russian);
        assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{code}\""));
    }
}

#[test]
fn reject_reason_accepts_comments() {
    let cases = [
        (RejectReasonCode::DocumentExpired, None, None),
        (RejectReasonCode::DocumentInvalid, Some("   "), None),
        (
            RejectReasonCode::DataMismatch,
            Some(" отчество "),
            Some("отчество"),
        ),
        (
            RejectReasonCode::Other,
            Some("Нет второго документа"),
            Some("Нет второго документа"),
        ),
    ];

    for (code, comment, stored) in cases {
        let reason = RejectReason::new(code, comment).unwrap();
        assert_eq!(reason.code(), code);
        assert_eq!(reason.comment(), stored, "{code} {comment:?}");
    }
}

#[test]
fn reject_other_requires_comment() {
    for comment in [None, Some(""), Some(" \t\n")] {
        assert_eq!(
            RejectReason::new(RejectReasonCode::Other, comment),
            Err(RejectReasonError::CommentMissing),
            "{comment:?}"
        );
    }
    assert_eq!(
        RejectReason::standard(RejectReasonCode::Other),
        Err(RejectReasonError::CommentMissing)
    );
}

#[test]
fn reject_comment_length_limit() {
    let at_limit = "ж".repeat(COMMENT_MAX_CHARS);
    let over_limit = "ж".repeat(COMMENT_MAX_CHARS + 1);

    assert!(RejectReason::new(RejectReasonCode::Other, Some(&at_limit)).is_ok());
    assert_eq!(
        RejectReason::new(RejectReasonCode::Other, Some(&over_limit)),
        Err(RejectReasonError::CommentTooLong { chars: 501 })
    );
}

#[test]
fn reject_reason_texts() {
    let expired = RejectReason::standard(RejectReasonCode::DocumentExpired).unwrap();
    let mismatch = RejectReason::new(RejectReasonCode::DataMismatch, Some("Отчество")).unwrap();
    let other = RejectReason::new(RejectReasonCode::Other, Some("Нет второго документа")).unwrap();

    assert_eq!(expired.text(Lang::Ru), "Срок действия паспорта истёк");
    assert_eq!(expired.text(Lang::En), "The passport has expired");
    assert_eq!(
        mismatch.text(Lang::Ru),
        "Введённые данные не совпадают с данными паспорта. Отчество"
    );
    assert_eq!(other.text(Lang::En), "Нет второго документа");
}

#[test]
fn every_reason_has_both_texts() {
    for code in RejectReasonCode::ALL {
        assert!(!code.text(Lang::Ru).is_empty(), "{code}");
        assert!(!code.text(Lang::En).is_empty(), "{code}");
        assert_ne!(code.text(Lang::Ru), code.text(Lang::En), "{code}");
    }
}

#[test]
fn reject_reason_debug_hides_comment() {
    let reason = RejectReason::new(RejectReasonCode::Other, Some("Иванов без паспорта")).unwrap();

    let debug = format!("{reason:?}");

    assert_eq!(debug, "RejectReason { code: Other, has_comment: true }");
}

#[test]
fn deserialize_checks_reason() {
    let missing = serde_json::from_str::<RejectReason>(r#"{"code":"other"}"#);
    let blank = serde_json::from_str::<RejectReason>(r#"{"code":"other","comment":"  "}"#);
    let good = serde_json::from_str::<RejectReason>(r#"{"code":"other","comment":" x "}"#);

    assert!(missing
        .unwrap_err()
        .to_string()
        .contains("requires a comment"));
    assert!(blank.is_err());
    assert_eq!(good.unwrap().comment(), Some("x"));
}

#[test]
fn reject_error_messages() {
    assert_eq!(
        RejectReasonError::CommentMissing.code(),
        "reject_comment.missing"
    );
    assert_eq!(
        RejectReasonError::CommentMissing.message(Lang::Ru),
        "Для причины «Другая причина» напишите комментарий: что именно не так."
    );
    assert_eq!(
        RejectReasonError::CommentTooLong { chars: 612 }.message(Lang::En),
        "The comment is too long: 612 characters, at most 500 are allowed. Shorten it."
    );
}

fn arb_action() -> impl Strategy<Value = RequestAction> {
    prop::sample::select(all_actions())
}

proptest! {
    /// Applying any sequence of actions, skipping the rejected ones, only
    /// ever passes through states the table allows.
    #[test]
    fn random_sequences_follow_table(actions in prop::collection::vec(arb_action(), 0..20)) {
        let mut state = RequestState::Waiting;

        for action in actions {
            let kind = action.kind();
            let before = state.clone();
            match state.apply(action) {
                Ok(next) => {
                    prop_assert_eq!(Some(next.status()), expected_next(before.status(), kind));
                    state = next;
                }
                Err(err) => {
                    prop_assert_eq!(expected_next(before.status(), kind), None);
                    prop_assert_eq!(err.state, before.status());
                    prop_assert_eq!(&state, &before);
                }
            }
        }
    }

    /// Once a request is final, every action fails and names the final status.
    #[test]
    fn final_state_rejects_everything(
        start in prop::sample::select(all_states()),
        action in arb_action(),
    ) {
        prop_assume!(start.is_final());

        let err = start.apply(action.clone()).unwrap_err();

        prop_assert_eq!(err.state, start.status());
        prop_assert_eq!(err.action, action.kind());
    }
}
