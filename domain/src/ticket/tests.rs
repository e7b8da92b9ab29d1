use jiff::Timestamp;
use proptest::prelude::*;

use super::*;
use crate::field::Lang;
use crate::request::RequestKind;

fn window(number: u16) -> WindowNumber {
    WindowNumber::new(number).unwrap()
}

fn ticket(text: &str) -> TicketNumber {
    text.parse().unwrap()
}

fn instant(text: &str) -> Timestamp {
    text.parse().unwrap()
}

// Ticket numbers.

#[test]
fn number_parses_accepted_forms() {
    let cases = [
        ("П-042", ServiceCategory::IdentityConfirmation, 42),
        ("п-042", ServiceCategory::IdentityConfirmation, 42),
        ("П042", ServiceCategory::IdentityConfirmation, 42),
        ("П 042", ServiceCategory::IdentityConfirmation, 42),
        ("  П-001 ", ServiceCategory::IdentityConfirmation, 1),
        ("Р-999", ServiceCategory::Registration, 999),
        ("P-007", ServiceCategory::Registration, 7),
        ("р-100", ServiceCategory::Registration, 100),
        ("В-310", ServiceCategory::RestoreAccess, 310),
        ("b-310", ServiceCategory::RestoreAccess, 310),
        ("У-555", ServiceCategory::OtherServices, 555),
        ("Y-555", ServiceCategory::OtherServices, 555),
    ];

    for (text, category, sequence) in cases {
        let number = ticket(text);
        assert_eq!(number.category(), category, "{text}");
        assert_eq!(number.sequence(), sequence, "{text}");
    }
}

#[test]
fn number_rejects_malformed_text() {
    let cases = [
        ("", TicketNumberError::Empty),
        ("   ", TicketNumberError::Empty),
        ("Ж-042", TicketNumberError::UnknownPrefix { prefix: 'Ж' }),
        ("Q-042", TicketNumberError::UnknownPrefix { prefix: 'Q' }),
        ("042", TicketNumberError::UnknownPrefix { prefix: '0' }),
        ("П-42", TicketNumberError::BadDigits),
        ("П-0042", TicketNumberError::BadDigits),
        ("П--042", TicketNumberError::BadDigits),
        ("П-04a", TicketNumberError::BadDigits),
        ("П-٠٤٢", TicketNumberError::BadDigits),
        ("П", TicketNumberError::BadDigits),
        (
            "П-000",
            TicketNumberError::SequenceOutOfRange { sequence: 0 },
        ),
    ];

    for (text, expected) in cases {
        assert_eq!(text.parse::<TicketNumber>(), Err(expected), "{text:?}");
    }
}

#[test]
fn number_displays_with_hyphen_and_zeros() {
    let cases = [
        (ServiceCategory::IdentityConfirmation, 42, "П-042"),
        (ServiceCategory::Registration, 1, "Р-001"),
        (ServiceCategory::RestoreAccess, 999, "В-999"),
        (ServiceCategory::OtherServices, 100, "У-100"),
    ];

    for (category, sequence, shown) in cases {
        let number = TicketNumber::new(category, sequence).unwrap();
        assert_eq!(number.to_string(), shown);
        assert_eq!(
            serde_json::to_string(&number).unwrap(),
            format!("\"{shown}\"")
        );
    }
}

#[test]
fn number_display_uses_cyrillic_letter() {
    let shown = TicketNumber::new(ServiceCategory::Registration, 7)
        .unwrap()
        .to_string();

    assert_eq!(shown.chars().next(), Some('\u{0420}'));
    assert_eq!(shown.as_bytes(), "Р-007".as_bytes());
    assert_ne!(shown.as_bytes(), b"P-007");
}

#[test]
fn number_sequence_range() {
    assert_eq!(
        TicketNumber::new(ServiceCategory::Registration, 0),
        Err(TicketNumberError::SequenceOutOfRange { sequence: 0 })
    );
    assert_eq!(
        TicketNumber::new(ServiceCategory::Registration, 1000),
        Err(TicketNumberError::SequenceOutOfRange { sequence: 1000 })
    );
    assert_eq!(
        TicketNumber::first(ServiceCategory::OtherServices).to_string(),
        "У-001"
    );
    assert_eq!(ticket("П-041").next(), Some(ticket("П-042")));
    assert_eq!(ticket("П-999").next(), None);
}

#[test]
fn number_deserialize_rejects_bad_text() {
    let err = serde_json::from_str::<TicketNumber>("\"Ж-001\"").unwrap_err();

    assert!(err.to_string().contains("no category's letter"), "{err}");
    assert_eq!(
        serde_json::from_str::<TicketNumber>("\"p-012\"").unwrap(),
        ticket("Р-012")
    );
}

#[test]
fn category_prefixes_and_names() {
    let cases = [
        (
            ServiceCategory::IdentityConfirmation,
            'П',
            "Подтверждение личности",
        ),
        (
            ServiceCategory::Registration,
            'Р',
            "Регистрация на Госуслугах",
        ),
        (
            ServiceCategory::RestoreAccess,
            'В',
            "Восстановление доступа",
        ),
        (ServiceCategory::OtherServices, 'У', "Другие услуги"),
    ];

    for (category, prefix, russian) in cases {
        assert_eq!(category.prefix(), prefix);
        assert_eq!(ServiceCategory::from_prefix(prefix), Some(category));
        assert_eq!(category.name(Lang::Ru), russian);
        assert!(!category.name(Lang::En).is_empty());
    }
}

#[test]
fn category_for_each_request_kind() {
    assert_eq!(
        ServiceCategory::from(RequestKind::ConfirmIdentity),
        ServiceCategory::IdentityConfirmation
    );
    assert_eq!(
        ServiceCategory::from(RequestKind::Register),
        ServiceCategory::Registration
    );
    assert_eq!(
        ServiceCategory::from(RequestKind::RestoreAccess),
        ServiceCategory::RestoreAccess
    );
}

// Ticket states.

fn sample_states() -> Vec<TicketState> {
    vec![
        TicketState::Issued,
        TicketState::Called {
            window: window(2),
            recalls: 0,
        },
        TicketState::Called {
            window: window(2),
            recalls: 3,
        },
        TicketState::Serving { window: window(2) },
        TicketState::Done,
        TicketState::NoShow,
        TicketState::Redirected {
            to: RedirectTarget::Window(window(5)),
        },
        TicketState::Redirected {
            to: RedirectTarget::Service(ServiceCategory::OtherServices),
        },
        TicketState::Postponed { remaining: 0 },
        TicketState::Postponed { remaining: 3 },
    ]
}

fn sample_actions() -> Vec<TicketAction> {
    vec![
        TicketAction::Call { window: window(4) },
        TicketAction::Recall,
        TicketAction::StartServing,
        TicketAction::Finish,
        TicketAction::MarkNoShow,
        TicketAction::Postpone { after: 3 },
        TicketAction::Redirect {
            to: RedirectTarget::Window(window(5)),
        },
        TicketAction::Redirect {
            to: RedirectTarget::Service(ServiceCategory::Registration),
        },
    ]
}

/// The allowed moves, written out by hand from the module's diagram.
fn expected_next(state: TicketStatus, action: TicketActionKind) -> Option<TicketStatus> {
    use TicketActionKind as A;
    use TicketStatus as S;

    match (state, action) {
        (S::Issued | S::Redirected | S::Postponed, A::Call) => Some(S::Called),
        (S::Called, A::Recall) => Some(S::Called),
        (S::Called, A::StartServing) => Some(S::Serving),
        (S::Called, A::MarkNoShow) => Some(S::NoShow),
        (S::Called | S::Serving, A::Postpone) => Some(S::Postponed),
        (S::Called | S::Serving, A::Redirect) => Some(S::Redirected),
        (S::Serving, A::Finish) => Some(S::Done),
        _ => None,
    }
}

#[test]
fn every_state_action_pair_matches_table() {
    for state in sample_states() {
        for action in sample_actions() {
            let kind = action.kind();
            let result = state.apply(action);

            match expected_next(state.status(), kind) {
                Some(next) => assert_eq!(result.unwrap().status(), next, "{state:?} + {kind}"),
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
fn full_visit_carries_window() {
    let called = TicketState::Issued
        .apply(TicketAction::Call { window: window(3) })
        .unwrap();
    let serving = called.apply(TicketAction::StartServing).unwrap();
    let done = serving.apply(TicketAction::Finish).unwrap();

    assert_eq!(
        called,
        TicketState::Called {
            window: window(3),
            recalls: 0
        }
    );
    assert_eq!(serving, TicketState::Serving { window: window(3) });
    assert_eq!(done, TicketState::Done);
}

#[test]
fn recall_counts_and_stays_called() {
    let mut state = TicketState::Issued
        .apply(TicketAction::Call { window: window(7) })
        .unwrap();

    for _ in 0..3 {
        state = state.apply(TicketAction::Recall).unwrap();
    }

    assert_eq!(
        state,
        TicketState::Called {
            window: window(7),
            recalls: 3
        }
    );
}

#[test]
fn recall_count_saturates() {
    let state = TicketState::Called {
        window: window(1),
        recalls: u16::MAX,
    };

    assert_eq!(state.apply(TicketAction::Recall), Ok(state));
}

#[test]
fn call_again_resets_recalls() {
    let postponed = TicketState::Called {
        window: window(1),
        recalls: 2,
    }
    .apply(TicketAction::Postpone { after: 2 })
    .unwrap();

    let called = postponed
        .apply(TicketAction::Call { window: window(6) })
        .unwrap();

    assert_eq!(postponed, TicketState::Postponed { remaining: 2 });
    assert_eq!(
        called,
        TicketState::Called {
            window: window(6),
            recalls: 0
        }
    );
}

#[test]
fn postponed_counts_down_other_calls() {
    let state = TicketState::Postponed { remaining: 2 };

    let once = state.after_other_called();
    let twice = once.after_other_called();
    let thrice = twice.after_other_called();

    assert_eq!(once, TicketState::Postponed { remaining: 1 });
    assert_eq!(twice, TicketState::Postponed { remaining: 0 });
    assert_eq!(thrice, TicketState::Postponed { remaining: 0 });
    assert_eq!(
        TicketState::Issued.after_other_called(),
        TicketState::Issued
    );
}

#[test]
fn finish_twice_names_state_and_action() {
    let err = TicketState::Done.apply(TicketAction::Finish).unwrap_err();

    assert_eq!(err.state, TicketStatus::Done);
    assert_eq!(err.action, TicketActionKind::Finish);
    assert_eq!(
        err.to_string(),
        "cannot finish a ticket that is done; reload the queue"
    );
    assert_eq!(
        err.message(Lang::Ru),
        "Действие невозможно: талон уже в статусе «Обслужен». Обновите очередь."
    );
    assert_eq!(
        serde_json::to_string(&err).unwrap(),
        r#"{"state":"done","action":"finish"}"#
    );
}

#[test]
fn state_json_forms() {
    let cases = [
        (TicketState::Issued, r#"{"state":"issued"}"#),
        (
            TicketState::Called {
                window: window(3),
                recalls: 1,
            },
            r#"{"state":"called","window":3,"recalls":1}"#,
        ),
        (
            TicketState::Redirected {
                to: RedirectTarget::Window(window(5)),
            },
            r#"{"state":"redirected","to":{"window":5}}"#,
        ),
        (
            TicketState::Redirected {
                to: RedirectTarget::Service(ServiceCategory::OtherServices),
            },
            r#"{"state":"redirected","to":{"service":"other_services"}}"#,
        ),
        (
            TicketState::Postponed { remaining: 4 },
            r#"{"state":"postponed","remaining":4}"#,
        ),
    ];

    for (state, json) in cases {
        assert_eq!(serde_json::to_string(&state).unwrap(), json);
        assert_eq!(serde_json::from_str::<TicketState>(json).unwrap(), state);
    }
}

#[test]
fn action_json_forms() {
    let cases = [
        (
            TicketAction::Call { window: window(3) },
            r#"{"action":"call","window":3}"#,
        ),
        (TicketAction::Recall, r#"{"action":"recall"}"#),
        (TicketAction::StartServing, r#"{"action":"start_serving"}"#),
        (
            TicketAction::Postpone { after: 5 },
            r#"{"action":"postpone","after":5}"#,
        ),
        (
            TicketAction::Redirect {
                to: RedirectTarget::Service(ServiceCategory::Registration),
            },
            r#"{"action":"redirect","to":{"service":"registration"}}"#,
        ),
    ];

    for (action, json) in cases {
        assert_eq!(serde_json::to_string(&action).unwrap(), json);
        assert_eq!(serde_json::from_str::<TicketAction>(json).unwrap(), action);
    }
}

#[test]
fn window_zero_is_rejected() {
    assert_eq!(WindowNumber::new(0), None);
    assert_eq!(window(12).get(), 12);
    assert!(serde_json::from_str::<WindowNumber>("0").is_err());
}

// "Call next" order.

fn entry(number: &str, priority: Priority, issued_at: &str, state: TicketState) -> QueueEntry {
    QueueEntry {
        number: ticket(number),
        priority,
        issued_at: instant(issued_at),
        state,
    }
}

const IDENTITY: &[ServiceCategory] = &[ServiceCategory::IdentityConfirmation];

#[test]
fn next_prefers_priority_then_oldest() {
    let queue = [
        entry(
            "П-001",
            Priority::Regular,
            "2026-12-04T09:00:00Z",
            TicketState::Issued,
        ),
        entry(
            "П-002",
            Priority::Preferential,
            "2026-12-04T09:05:00Z",
            TicketState::Issued,
        ),
        entry(
            "П-003",
            Priority::Preferential,
            "2026-12-04T09:03:00Z",
            TicketState::Issued,
        ),
    ];

    let next = next_to_call(&queue, window(1), IDENTITY).unwrap();

    assert_eq!(next.number, ticket("П-003"));
}

#[test]
fn next_takes_oldest_regular() {
    let queue = [
        entry(
            "П-002",
            Priority::Regular,
            "2026-12-04T09:01:00Z",
            TicketState::Issued,
        ),
        entry(
            "П-001",
            Priority::Regular,
            "2026-12-04T09:00:00Z",
            TicketState::Issued,
        ),
        entry(
            "П-003",
            Priority::Regular,
            "2026-12-04T09:02:00Z",
            TicketState::Issued,
        ),
    ];

    assert_eq!(
        next_to_call(&queue, window(1), IDENTITY).unwrap().number,
        ticket("П-001")
    );
}

#[test]
fn next_breaks_ties_by_number() {
    let queue = [
        entry(
            "П-008",
            Priority::Regular,
            "2026-12-04T09:00:00Z",
            TicketState::Issued,
        ),
        entry(
            "П-007",
            Priority::Regular,
            "2026-12-04T09:00:00Z",
            TicketState::Issued,
        ),
    ];

    assert_eq!(
        next_to_call(&queue, window(1), IDENTITY).unwrap().number,
        ticket("П-007")
    );
}

#[test]
fn next_skips_other_categories_and_states() {
    let queue = [
        entry(
            "Р-001",
            Priority::Preferential,
            "2026-12-04T08:00:00Z",
            TicketState::Issued,
        ),
        entry(
            "П-001",
            Priority::Regular,
            "2026-12-04T08:10:00Z",
            TicketState::Called {
                window: window(2),
                recalls: 0,
            },
        ),
        entry(
            "П-002",
            Priority::Regular,
            "2026-12-04T08:20:00Z",
            TicketState::Done,
        ),
        entry(
            "П-003",
            Priority::Regular,
            "2026-12-04T08:30:00Z",
            TicketState::NoShow,
        ),
        entry(
            "П-004",
            Priority::Regular,
            "2026-12-04T08:40:00Z",
            TicketState::Issued,
        ),
    ];

    assert_eq!(
        next_to_call(&queue, window(1), IDENTITY).unwrap().number,
        ticket("П-004")
    );
}

#[test]
fn next_honours_redirects() {
    let to_window_5 = TicketState::Redirected {
        to: RedirectTarget::Window(window(5)),
    };
    let to_other_services = TicketState::Redirected {
        to: RedirectTarget::Service(ServiceCategory::OtherServices),
    };
    let queue = [
        entry(
            "П-001",
            Priority::Regular,
            "2026-12-04T08:00:00Z",
            to_window_5,
        ),
        entry(
            "П-002",
            Priority::Regular,
            "2026-12-04T08:01:00Z",
            to_other_services,
        ),
        entry(
            "П-003",
            Priority::Regular,
            "2026-12-04T08:02:00Z",
            TicketState::Issued,
        ),
    ];
    let other = &[ServiceCategory::OtherServices];

    assert_eq!(
        next_to_call(&queue, window(5), IDENTITY).unwrap().number,
        ticket("П-001")
    );
    assert_eq!(
        next_to_call(&queue, window(1), IDENTITY).unwrap().number,
        ticket("П-003")
    );
    assert_eq!(
        next_to_call(&queue, window(1), other).unwrap().number,
        ticket("П-002")
    );
    assert_eq!(next_to_call(&queue[..1], window(1), IDENTITY), None);
}

#[test]
fn next_waits_out_postponed() {
    let queue = [
        entry(
            "П-001",
            Priority::Preferential,
            "2026-12-04T08:00:00Z",
            TicketState::Postponed { remaining: 2 },
        ),
        entry(
            "П-002",
            Priority::Regular,
            "2026-12-04T08:01:00Z",
            TicketState::Postponed { remaining: 0 },
        ),
        entry(
            "П-003",
            Priority::Regular,
            "2026-12-04T08:02:00Z",
            TicketState::Issued,
        ),
    ];

    assert_eq!(
        next_to_call(&queue, window(1), IDENTITY).unwrap().number,
        ticket("П-002")
    );
}

#[test]
fn next_calls_postponed_when_hall_empty() {
    let queue = [
        entry(
            "П-001",
            Priority::Regular,
            "2026-12-04T08:00:00Z",
            TicketState::Postponed { remaining: 3 },
        ),
        entry(
            "П-002",
            Priority::Regular,
            "2026-12-04T08:01:00Z",
            TicketState::Postponed { remaining: 1 },
        ),
    ];

    assert_eq!(
        next_to_call(&queue, window(1), IDENTITY).unwrap().number,
        ticket("П-002")
    );
}

#[test]
fn next_on_empty_queue() {
    assert_eq!(next_to_call(&[], window(1), IDENTITY), None);
    assert_eq!(
        next_to_call(
            &[entry(
                "П-001",
                Priority::Regular,
                "2026-12-04T08:00:00Z",
                TicketState::Issued
            )],
            window(1),
            &[]
        ),
        None
    );
}

// Properties.

fn arb_category() -> impl Strategy<Value = ServiceCategory> {
    prop::sample::select(ServiceCategory::ALL.to_vec())
}

fn arb_number() -> impl Strategy<Value = TicketNumber> {
    (arb_category(), SEQUENCE_MIN..=SEQUENCE_MAX)
        .prop_map(|(category, sequence)| TicketNumber::new(category, sequence).unwrap())
}

fn arb_action() -> impl Strategy<Value = TicketAction> {
    prop::sample::select(sample_actions())
}

fn arb_state() -> impl Strategy<Value = TicketState> {
    prop::sample::select(sample_states())
}

fn arb_entry() -> impl Strategy<Value = QueueEntry> {
    (arb_number(), prop::bool::ANY, 0i64..86_400, arb_state()).prop_map(
        |(number, preferential, second, state)| QueueEntry {
            number,
            priority: if preferential {
                Priority::Preferential
            } else {
                Priority::Regular
            },
            issued_at: instant("2026-12-04T00:00:00Z")
                .checked_add(jiff::SignedDuration::from_secs(second))
                .unwrap(),
            state,
        },
    )
}

proptest! {
    #[test]
    fn number_display_parses_back(number in arb_number()) {
        let shown = number.to_string();

        prop_assert_eq!(shown.chars().count(), 5);
        prop_assert_eq!(shown.parse::<TicketNumber>(), Ok(number));
        let json = serde_json::to_string(&number).unwrap();
        prop_assert_eq!(serde_json::from_str::<TicketNumber>(&json).unwrap(), number);
    }

    #[test]
    fn random_sequences_follow_table(actions in prop::collection::vec(arb_action(), 0..30)) {
        let mut state = TicketState::Issued;

        for action in actions {
            let before = state;
            match state.apply(action) {
                Ok(next) => {
                    prop_assert_eq!(Some(next.status()), expected_next(before.status(), action.kind()));
                    state = next;
                }
                Err(err) => {
                    prop_assert_eq!(expected_next(before.status(), action.kind()), None);
                    prop_assert_eq!(err.state, before.status());
                    prop_assert_eq!(err.action, action.kind());
                    prop_assert_eq!(state, before);
                }
            }
        }
    }

    /// The chosen ticket is a waiting candidate, and no other ready
    /// candidate beats it on priority, then age.
    #[test]
    fn next_is_best_candidate(
        queue in prop::collection::vec(arb_entry(), 0..25),
        categories in prop::collection::vec(arb_category(), 0..3),
    ) {
        let window = window(5);
        let Some(next) = next_to_call(&queue, window, &categories) else {
            for entry in &queue {
                let callable = match entry.state {
                    TicketState::Issued | TicketState::Postponed { .. } => {
                        categories.contains(&entry.number.category())
                    }
                    TicketState::Redirected { to: RedirectTarget::Window(target) } => target == window,
                    TicketState::Redirected { to: RedirectTarget::Service(category) } => {
                        categories.contains(&category)
                    }
                    _ => false,
                };
                prop_assert!(!callable, "{entry:?} was callable");
            }
            return Ok(());
        };

        prop_assert!(next.state.is_waiting());
        let next_ready = !matches!(next.state, TicketState::Postponed { remaining } if remaining > 0);
        for entry in &queue {
            let ready = entry.state.is_waiting()
                && !matches!(entry.state, TicketState::Postponed { remaining } if remaining > 0)
                && match entry.state {
                    TicketState::Redirected { to: RedirectTarget::Window(target) } => target == window,
                    TicketState::Redirected { to: RedirectTarget::Service(category) } => {
                        categories.contains(&category)
                    }
                    _ => categories.contains(&entry.number.category()),
                };
            if ready {
                prop_assert!(next_ready, "postponed {next:?} chosen over ready {entry:?}");
                prop_assert!(
                    (std::cmp::Reverse(next.priority), next.issued_at)
                        <= (std::cmp::Reverse(entry.priority), entry.issued_at),
                    "{next:?} chosen over {entry:?}"
                );
            }
        }
    }
}
