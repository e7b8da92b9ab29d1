//! Text helpers shared by the field rules: the count of entered digits in
//! length messages, and the `Display` text every rule error uses.
//!
//! The messages themselves live next to each rule; this file only holds what
//! several rules would otherwise repeat.

use std::fmt;

use crate::field::{FieldRule, Lang};

/// Formats how many digits were entered, as a clause for a length message:
/// «введено цифр: 9» or "9 digits were entered". The Russian form puts the
/// count after a colon, so the noun needs no plural agreement.
pub(crate) fn digits_entered(count: usize, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("введено цифр: {count}"),
        Lang::En if count == 1 => "1 digit was entered".to_owned(),
        Lang::En => format!("{count} digits were entered"),
    }
}

/// Writes a rule error as `<code>: <English message>`, the `Display` text of
/// every error in this crate. The message carries no entered value, so the
/// text is safe for logs.
pub(crate) fn display_rule(rule: &dyn FieldRule, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{}: {}", rule.code(), rule.message(Lang::En))
}

/// Implements `Display` for a rule error through [`display_rule`].
macro_rules! display_via_rule {
    ($ty:ty) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::text::display_rule(self, f)
            }
        }
    };
}

pub(crate) use display_via_rule;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_entered_in_both_languages() {
        assert_eq!(digits_entered(1, Lang::Ru), "введено цифр: 1");
        assert_eq!(digits_entered(12, Lang::Ru), "введено цифр: 12");
        assert_eq!(digits_entered(1, Lang::En), "1 digit was entered");
        assert_eq!(digits_entered(0, Lang::En), "0 digits were entered");
        assert_eq!(digits_entered(9, Lang::En), "9 digits were entered");
    }
}
