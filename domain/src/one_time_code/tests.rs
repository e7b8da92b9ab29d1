use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::*;
use crate::clock::{Clock, ManualClock};
use crate::field::FieldError;

const ISSUED: &str = "2026-12-04T10:00:00Z";

fn instant(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn issued() -> OneTimeCodeState {
    OneTimeCodeState::issue(instant(ISSUED), OneTimeCodePolicy::default())
}

/// Stands in for the caller's comparison with its stored hash.
fn is_482913(code: &OneTimeCode) -> bool {
    code.as_str() == "482913"
}

#[test]
fn default_policy_values() {
    let policy = OneTimeCodePolicy::default();

    assert_eq!(policy.validity, SignedDuration::from_secs(300));
    assert_eq!(policy.max_attempts, 3);
    assert_eq!(policy.resend_after, SignedDuration::from_secs(60));
}

#[test]
fn parse_accepts_typed_forms() {
    for input in ["482913", "482 913", "482-913", " 48 29 13 ", "4-8-2-9-1-3"] {
        assert_eq!(
            OneTimeCode::parse(input).unwrap().as_str(),
            "482913",
            "{input:?}"
        );
    }
    assert_eq!(OneTimeCode::parse("000000").unwrap().as_str(), "000000");
}

#[test]
fn parse_rejects_malformed() {
    for input in [
        "",
        "48291",
        "4829130",
        "48291a",
        "４８２９１３",
        "482_913",
        "482.913",
        "+482913",
    ] {
        assert_eq!(
            OneTimeCode::parse(input),
            Err(OneTimeCodeError::Format),
            "{input:?}"
        );
    }
}

#[test]
fn debug_hides_digits() {
    let code = OneTimeCode::parse("482913").unwrap();

    assert_eq!(format!("{code:?}"), "OneTimeCode(******)");
}

#[test]
fn correct_code_accepted_once() {
    let mut state = issued();

    let first = state.verify(instant("2026-12-04T10:04:59Z"), "482 913", is_482913);
    let second = state.verify(instant("2026-12-04T10:04:59Z"), "482913", is_482913);

    assert_eq!(first, Ok(()));
    assert!(state.is_used());
    assert_eq!(second, Err(OneTimeCodeError::AlreadyUsed));
}

#[test]
fn three_wrong_attempts_exhaust() {
    let mut state = issued();
    let now = instant("2026-12-04T10:01:00Z");

    let first = state.verify(now, "111111", is_482913);
    let second = state.verify(now, "222222", is_482913);
    let third = state.verify(now, "333333", is_482913);
    let correct_after = state.verify(now, "482913", is_482913);

    assert_eq!(first, Err(OneTimeCodeError::Wrong { attempts_left: 2 }));
    assert_eq!(second, Err(OneTimeCodeError::Wrong { attempts_left: 1 }));
    assert_eq!(third, Err(OneTimeCodeError::Exhausted));
    assert_eq!(correct_after, Err(OneTimeCodeError::Exhausted));
    assert_eq!(state.wrong_attempts(), 3);
    assert_eq!(state.attempts_left(), 0);
}

#[test]
fn correct_after_two_wrong() {
    let mut state = issued();
    let now = instant("2026-12-04T10:02:00Z");

    state.verify(now, "111111", is_482913).unwrap_err();
    state.verify(now, "222222", is_482913).unwrap_err();

    assert_eq!(state.verify(now, "482913", is_482913), Ok(()));
}

#[test]
fn malformed_entry_costs_no_attempt() {
    let mut state = issued();
    let now = instant("2026-12-04T10:02:00Z");

    let result = state.verify(now, "4829", |_| panic!("a malformed entry was compared"));

    assert_eq!(result, Err(OneTimeCodeError::Format));
    assert_eq!(state.wrong_attempts(), 0);
}

#[test]
fn expiry_at_five_minutes() {
    let cases = [
        ("2026-12-04T10:00:00Z", Ok(())),
        ("2026-12-04T10:04:59.999999999Z", Ok(())),
        ("2026-12-04T10:05:00Z", Err(OneTimeCodeError::Expired)),
        ("2026-12-04T11:00:00Z", Err(OneTimeCodeError::Expired)),
    ];

    for (now, expected) in cases {
        let mut state = issued();
        assert_eq!(
            state.verify(instant(now), "482913", is_482913),
            expected,
            "{now}"
        );
    }
    assert_eq!(issued().expires_at(), instant("2026-12-04T10:05:00Z"));
}

#[test]
fn expired_code_is_not_compared() {
    let mut state = issued();

    let result = state.verify(instant("2026-12-04T10:06:00Z"), "111111", |_| {
        panic!("an expired code was compared")
    });

    assert_eq!(result, Err(OneTimeCodeError::Expired));
    assert_eq!(state.wrong_attempts(), 0);
}

#[test]
fn resend_after_sixty_seconds() {
    let clock = ManualClock::new(instant(ISSUED));
    let state = OneTimeCodeState::issue(clock.now(), OneTimeCodePolicy::default());
    let not_before = ResendStatus::NotBefore {
        available_at: instant("2026-12-04T10:01:00Z"),
    };

    assert_eq!(state.can_resend(clock.now()), not_before);
    assert_eq!(state.can_resend(clock.now()).seconds_left(clock.now()), 60);

    clock.advance(SignedDuration::from_millis(17_500));
    assert_eq!(state.can_resend(clock.now()), not_before);
    assert_eq!(state.can_resend(clock.now()).seconds_left(clock.now()), 43);

    clock.set(instant("2026-12-04T10:00:59Z"));
    assert_eq!(state.can_resend(clock.now()).seconds_left(clock.now()), 1);

    clock.set(instant("2026-12-04T10:01:00Z"));
    assert_eq!(state.can_resend(clock.now()), ResendStatus::Available);
    assert_eq!(state.can_resend(clock.now()).seconds_left(clock.now()), 0);
}

#[test]
fn custom_policy_is_kept() {
    let policy = OneTimeCodePolicy {
        validity: SignedDuration::from_mins(10),
        max_attempts: 1,
        resend_after: SignedDuration::from_secs(30),
    };
    let mut state = OneTimeCodeState::issue(instant(ISSUED), policy);

    let result = state.verify(instant("2026-12-04T10:09:00Z"), "111111", is_482913);

    assert_eq!(result, Err(OneTimeCodeError::Exhausted));
    assert_eq!(
        state.can_resend(instant("2026-12-04T10:00:30Z")),
        ResendStatus::Available
    );
}

#[test]
fn error_codes_and_messages() {
    let cases = [
        (
            OneTimeCodeError::Format,
            "one_time_code.format",
            "Введите код из 6 цифр, который пришёл в сообщении.",
            "Enter the 6-digit code from the message.",
        ),
        (
            OneTimeCodeError::Wrong { attempts_left: 2 },
            "one_time_code.wrong",
            "Неверный код. Осталось попыток: 2.",
            "Wrong code. Attempts left: 2.",
        ),
        (
            OneTimeCodeError::Exhausted,
            "one_time_code.exhausted",
            "Код введён неверно слишком много раз. Запросите новый код.",
            "The code was entered wrong too many times. Request a new code.",
        ),
        (
            OneTimeCodeError::Expired,
            "one_time_code.expired",
            "Срок действия кода истёк. Запросите новый код.",
            "The code has expired. Request a new code.",
        ),
        (
            OneTimeCodeError::AlreadyUsed,
            "one_time_code.used",
            "Этот код уже использован. Запросите новый код.",
            "This code has already been used. Request a new code.",
        ),
    ];

    for (err, code, russian, english) in cases {
        let erased = FieldError::from(err);
        assert_eq!(erased.field, Field::OneTimeCode);
        assert_eq!(erased.code, code);
        assert_eq!(erased.message_ru, russian);
        assert_eq!(erased.message_en, english);
    }
}

#[test]
fn json_forms() {
    let mut state = issued();
    state
        .verify(instant("2026-12-04T10:01:00Z"), "111111", is_482913)
        .unwrap_err();

    let json = serde_json::to_string(&state).unwrap();

    assert_eq!(
        json,
        r#"{"issued_at":"2026-12-04T10:00:00Z","wrong_attempts":1,"used":false,"policy":{"validity":"PT5M","max_attempts":3,"resend_after":"PT1M"}}"#
    );
    assert_eq!(
        serde_json::from_str::<OneTimeCodeState>(&json).unwrap(),
        state
    );
    assert_eq!(
        serde_json::to_string(&OneTimeCodeError::Wrong { attempts_left: 1 }).unwrap(),
        r#"{"rule":"wrong","attempts_left":1}"#
    );
    assert_eq!(
        serde_json::to_string(&OneTimeCode::parse("000123").unwrap()).unwrap(),
        r#""000123""#
    );
    assert!(serde_json::from_str::<OneTimeCode>(r#""12345""#).is_err());
}

#[test]
fn seeded_generator_is_reproducible() {
    let mut first = StdRng::seed_from_u64(20261204);
    let mut second = StdRng::seed_from_u64(20261204);

    let codes: Vec<String> = (0..5)
        .map(|_| OneTimeCode::generate(&mut first).as_str().to_owned())
        .collect();
    let again: Vec<String> = (0..5)
        .map(|_| OneTimeCode::generate(&mut second).as_str().to_owned())
        .collect();

    assert_eq!(codes, again);
    assert_eq!(codes.iter().collect::<HashSet<_>>().len(), 5);
}

#[test]
fn generated_digits_spread_evenly() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut counts = [0u32; 10];

    for _ in 0..10_000 {
        for digit in OneTimeCode::generate(&mut rng).as_str().bytes() {
            counts[usize::from(digit - b'0')] += 1;
        }
    }

    // 60 000 digits give 6 000 per value; ±300 is about 4 standard
    // deviations of a fair generator.
    for (digit, count) in counts.iter().enumerate() {
        assert!((5_700..=6_300).contains(count), "digit {digit}: {count}");
    }
}

proptest! {
    #[test]
    fn generated_code_is_six_digits(seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);

        let code = OneTimeCode::generate(&mut rng);

        prop_assert_eq!(code.as_str().len(), CODE_LENGTH);
        prop_assert!(code.as_str().bytes().all(|byte| byte.is_ascii_digit()));
        prop_assert_eq!(OneTimeCode::parse(code.as_str()), Ok(code));
    }

    /// However many wrong entries are made, the state never allows more than
    /// the policy's attempts, and the reported attempts left always count
    /// down by one.
    #[test]
    fn attempts_never_exceed_policy(
        entries in prop::collection::vec("[0-9]{6}", 1..8),
        max_attempts in 1u8..6,
    ) {
        let policy = OneTimeCodePolicy { max_attempts, ..OneTimeCodePolicy::default() };
        let mut state = OneTimeCodeState::issue(instant(ISSUED), policy);
        let now = instant("2026-12-04T10:01:00Z");

        for (index, entry) in entries.iter().enumerate() {
            let result = state.verify(now, entry, |_| false);
            let wrong_so_far = u8::try_from(index + 1).unwrap().min(max_attempts);
            let expected = if wrong_so_far < max_attempts {
                Err(OneTimeCodeError::Wrong { attempts_left: max_attempts - wrong_so_far })
            } else {
                Err(OneTimeCodeError::Exhausted)
            };
            prop_assert_eq!(result, expected);
            prop_assert_eq!(state.wrong_attempts(), wrong_so_far);
        }
    }
}
