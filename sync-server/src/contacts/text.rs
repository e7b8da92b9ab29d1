//! The Russian texts that carry a code: one SMS segment in UCS-2 (at most
//! 70 characters), naming the service and warning never to tell the code
//! to anyone.

use domain::one_time_code::OneTimeCode;

/// Maximum length, in characters, of one UCS-2 SMS segment.
pub const SMS_SEGMENT_CHARS: usize = 70;

/// Returns the SMS (and e-mail body) text for `code`, valid `minutes`.
pub fn code_text(code: &OneTimeCode, minutes: i64) -> String {
    format!(
        "Госуслуги: код {}, действует {minutes} мин. Никому его не сообщайте!",
        code.as_str()
    )
}

/// The e-mail subject.
pub const EMAIL_SUBJECT: &str = "Код подтверждения почты для Госуслуг";
