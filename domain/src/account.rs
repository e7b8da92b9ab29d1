//! A portal account's level and the only moves it allows: upward.
//!
//! | level | Russian | what the account has |
//! | --- | --- | --- |
//! | Simplified | Упрощённая | name, a confirmed phone or e-mail, a password |
//! | Standard | Стандартная | plus passport data and СНИЛС checked against state registries |
//! | Confirmed | Подтверждённая | plus an identity confirmation (in person, by signature, bank or post) |
//!
//! A level may skip a step: a visitor who registers at a center gives the
//! operator the passport and СНИЛС and has the identity confirmed in the
//! same visit. Checking that the conditions for a level are met is the
//! caller's job; this module only guards the order.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::Lang;

/// The level of a portal account, ordered `Simplified < Standard < Confirmed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountLevel {
    Simplified,
    Standard,
    Confirmed,
}

impl AccountLevel {
    /// Every level, lowest first.
    pub const ALL: [AccountLevel; 3] = [
        AccountLevel::Simplified,
        AccountLevel::Standard,
        AccountLevel::Confirmed,
    ];

    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            AccountLevel::Simplified => "simplified",
            AccountLevel::Standard => "standard",
            AccountLevel::Confirmed => "confirmed",
        }
    }

    /// Returns the level's name as a heading or table cell shows it,
    /// capitalized: «Подтверждённая».
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AccountLevel::Simplified, Lang::Ru) => "Упрощённая",
            (AccountLevel::Simplified, Lang::En) => "Simplified",
            (AccountLevel::Standard, Lang::Ru) => "Стандартная",
            (AccountLevel::Standard, Lang::En) => "Standard",
            (AccountLevel::Confirmed, Lang::Ru) => "Подтверждённая",
            (AccountLevel::Confirmed, Lang::En) => "Confirmed",
        }
    }

    /// Returns the level's name in lower case for use inside a sentence:
    /// «учётная запись подтверждённая».
    pub fn name_lowercase(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AccountLevel::Simplified, Lang::Ru) => "упрощённая",
            (AccountLevel::Simplified, Lang::En) => "simplified",
            (AccountLevel::Standard, Lang::Ru) => "стандартная",
            (AccountLevel::Standard, Lang::En) => "standard",
            (AccountLevel::Confirmed, Lang::Ru) => "подтверждённая",
            (AccountLevel::Confirmed, Lang::En) => "confirmed",
        }
    }

    /// Returns `target` when it is above this level.
    ///
    /// # Errors
    ///
    /// [`LevelChangeError`] when `target` is this level or a lower one: an
    /// account never loses a level through this product.
    pub fn raise_to(self, target: AccountLevel) -> Result<AccountLevel, LevelChangeError> {
        if target > self {
            Ok(target)
        } else {
            Err(LevelChangeError {
                from: self,
                to: target,
            })
        }
    }
}

impl fmt::Display for AccountLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A level change that is not a move upward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("cannot change an account from {from} to {to}: levels only go up; reload the account")]
pub struct LevelChangeError {
    pub from: AccountLevel,
    pub to: AccountLevel,
}

impl LevelChangeError {
    /// The stable code for this error in API responses.
    pub const CODE: &'static str = "account.level_not_upward";

    /// Returns the message an operator reads.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => format!(
                "Учётная запись уже {}, уровень «{}» ниже или такой же. Обновите данные учётной записи.",
                self.from.name_lowercase(Lang::Ru),
                self.to.name(Lang::Ru)
            ),
            Lang::En => format!(
                "The account is already {}; the level \"{}\" is not higher. Reload the account.",
                self.from.name_lowercase(Lang::En),
                self.to.name(Lang::En)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn names_in_both_languages() {
        let cases = [
            (
                AccountLevel::Simplified,
                "Упрощённая",
                "упрощённая",
                "Simplified",
            ),
            (
                AccountLevel::Standard,
                "Стандартная",
                "стандартная",
                "Standard",
            ),
            (
                AccountLevel::Confirmed,
                "Подтверждённая",
                "подтверждённая",
                "Confirmed",
            ),
        ];

        for (level, russian, russian_lower, english) in cases {
            assert_eq!(level.name(Lang::Ru), russian);
            assert_eq!(level.name_lowercase(Lang::Ru), russian_lower);
            assert_eq!(level.name(Lang::En), english);
            assert_eq!(level.name_lowercase(Lang::En), english.to_lowercase());
        }
    }

    #[test]
    fn confirmed_is_spelled_with_yo() {
        assert!(AccountLevel::Confirmed
            .name_lowercase(Lang::Ru)
            .contains('ё'));
        assert_eq!(
            AccountLevel::Confirmed.name_lowercase(Lang::Ru).as_bytes(),
            "подтверждённая".as_bytes()
        );
    }

    #[test]
    fn upward_moves_only() {
        use AccountLevel::*;

        let cases = [
            (Simplified, Simplified, false),
            (Simplified, Standard, true),
            (Simplified, Confirmed, true),
            (Standard, Simplified, false),
            (Standard, Standard, false),
            (Standard, Confirmed, true),
            (Confirmed, Simplified, false),
            (Confirmed, Standard, false),
            (Confirmed, Confirmed, false),
        ];

        for (from, to, allowed) in cases {
            let result = from.raise_to(to);
            if allowed {
                assert_eq!(result, Ok(to), "{from} -> {to}");
            } else {
                assert_eq!(result, Err(LevelChangeError { from, to }), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn downgrade_error_texts() {
        let err = AccountLevel::Confirmed
            .raise_to(AccountLevel::Standard)
            .unwrap_err();

        assert_eq!(
            err.to_string(),
            "cannot change an account from confirmed to standard: levels only go up; reload the account"
        );
        assert_eq!(
            err.message(Lang::Ru),
            "Учётная запись уже подтверждённая, уровень «Стандартная» ниже или такой же. \
             Обновите данные учётной записи."
        );
    }

    #[test]
    fn json_form() {
        assert_eq!(
            serde_json::to_string(&AccountLevel::Confirmed).unwrap(),
            "\"confirmed\""
        );
        assert_eq!(
            serde_json::from_str::<AccountLevel>("\"standard\"").unwrap(),
            AccountLevel::Standard
        );
    }

    proptest! {
        /// Any sequence of attempted moves never lowers the level.
        #[test]
        fn level_never_goes_down(
            targets in prop::collection::vec(prop::sample::select(AccountLevel::ALL.to_vec()), 0..10)
        ) {
            let mut level = AccountLevel::Simplified;

            for target in targets {
                let before = level;
                match level.raise_to(target) {
                    Ok(next) => {
                        prop_assert!(next > before);
                        level = next;
                    }
                    Err(err) => {
                        prop_assert!(target <= before);
                        prop_assert_eq!(err.from, before);
                    }
                }
            }
        }
    }
}
