//! Signature token failures. Each variant has a Russian message for the
//! visitor that says what to do next.
//!
//! Neither the messages nor `Display` carry the PIN or a certificate's
//! subject. Module paths, slot ids and PKCS#11 return codes are kept,
//! because technicians need them.

use cryptoki::error::RvError;

use super::pin::TriesLeft;

/// A signature token failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The PKCS#11 module could not be loaded or initialised.
    #[error("PKCS#11 module {path} failed to load: {detail}")]
    ModuleLoad { path: String, detail: String },
    /// No token is present in the slot, or it was removed while in use.
    #[error("no token in slot {slot}")]
    TokenAbsent { slot: u64 },
    /// The PIN was rejected (`CKR_PIN_INCORRECT`).
    #[error("wrong PIN; tries left: {tries_left:?}")]
    WrongPin { tries_left: TriesLeft },
    /// The PIN is locked (`CKR_PIN_LOCKED` or `CKF_USER_PIN_LOCKED`).
    #[error("the token's PIN is locked")]
    PinLocked,
    /// The PIN's length is outside the range the token accepts, so it was
    /// not sent and no try was used.
    #[error("the PIN has {chars} characters; the token accepts {min} to {max}")]
    PinLength {
        chars: usize,
        min: usize,
        max: usize,
    },
    /// The PIN has expired and must be changed first (`CKR_PIN_EXPIRED`).
    #[error("the token's PIN has expired")]
    PinExpired,
    /// The token has no private key with the certificate's `CKA_ID`.
    #[error("no private key matches the certificate with CKA_ID {id}")]
    KeyNotFound { id: String },
    /// The key's type has no signing support here, by its `CKK_*` name.
    #[error("signing with a {key_type} key is not supported")]
    UnsupportedKey { key_type: String },
    /// A certificate object's value is not a DER X.509 certificate.
    #[error("certificate on the token is malformed: {detail}")]
    MalformedCertificate { detail: String },
    /// Any other PKCS#11 failure, by function and return code.
    #[error("PKCS#11 {function} failed: {rv}")]
    Pkcs11 { function: String, rv: String },
}

impl TokenError {
    /// Returns the message a visitor reads at the kiosk.
    pub fn message_ru(&self) -> String {
        match self {
            TokenError::ModuleLoad { .. } => {
                "Киоск не может работать с токенами: модуль PKCS#11 не загружен. Подтвердите личность у оператора и сообщите ему об этой ошибке.".to_owned()
            }
            TokenError::TokenAbsent { .. } => {
                "Токен не найден. Вставьте токен в разъём киоска до упора и попробуйте ещё раз.".to_owned()
            }
            TokenError::WrongPin { tries_left } => match tries_left {
                TriesLeft::One => "Неверный PIN-код. Осталась одна попытка: после следующей ошибки PIN-код заблокируется. Если не помните PIN-код, подтвердите личность у оператора.".to_owned(),
                TriesLeft::Fewer => "Неверный PIN-код. Попыток осталось меньше, чем было: после нескольких ошибок подряд PIN-код заблокируется. Проверьте PIN-код и введите его снова.".to_owned(),
                TriesLeft::NotReported => "Неверный PIN-код. Проверьте PIN-код и введите его снова: после нескольких ошибок подряд он заблокируется.".to_owned(),
            },
            TokenError::PinLocked => {
                "PIN-код токена заблокирован после нескольких неверных попыток. Разблокировать его можно в удостоверяющем центре, выдавшем сертификат. Сейчас подтвердите личность у оператора.".to_owned()
            }
            TokenError::PinLength { min, max, .. } => format!(
                "В PIN-коде этого токена от {min} до {max} символов. Проверьте PIN-код и введите его снова, попытка не потрачена."
            ),
            TokenError::PinExpired => {
                "Срок действия PIN-кода истёк. Смените PIN-код в программе для токена на своём компьютере или подтвердите личность у оператора.".to_owned()
            }
            TokenError::KeyNotFound { .. } => {
                "На токене нет ключа подписи для выбранного сертификата. Выберите другой сертификат или подтвердите личность у оператора.".to_owned()
            }
            TokenError::UnsupportedKey { .. } => {
                "Киоск пока не умеет подписывать ключом этого типа. Подтвердите личность у оператора.".to_owned()
            }
            TokenError::MalformedCertificate { .. } => {
                "Сертификат на токене повреждён и не читается. Обратитесь в удостоверяющий центр или подтвердите личность у оператора.".to_owned()
            }
            TokenError::Pkcs11 { .. } => {
                "Токен ответил ошибкой. Извлеките токен, вставьте его снова и попробуйте ещё раз. Если ошибка повторится, подтвердите личность у оператора.".to_owned()
            }
        }
    }

    /// Maps a failed PKCS#11 call to a token error.
    pub(crate) fn from_pkcs11(err: cryptoki::error::Error, slot: u64) -> TokenError {
        match err {
            cryptoki::error::Error::Pkcs11(rv, function) => match rv {
                RvError::TokenNotPresent | RvError::DeviceRemoved | RvError::SlotIdInvalid => {
                    TokenError::TokenAbsent { slot }
                }
                RvError::PinLocked => TokenError::PinLocked,
                RvError::PinExpired => TokenError::PinExpired,
                other => TokenError::Pkcs11 {
                    function: format!("{function:?}"),
                    rv: format!("{other:?}"),
                },
            },
            other => TokenError::Pkcs11 {
                function: "wrapper".to_owned(),
                rv: other.to_string(),
            },
        }
    }
}
