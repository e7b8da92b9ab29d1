//! Why an operator rejects an identity confirmation request: a standard
//! reason from a fixed list, with an operator's comment that the reason
//! "other" requires.
//!
//! The visitor reads the standard reason's text (or the comment for "other")
//! on the kiosk and in the portal. The comment is free text an operator
//! types, so it may name the visitor: it stays out of `Debug`, `Display`
//! and error texts.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::Lang;

/// Maximum length of an operator's comment, in characters.
pub const COMMENT_MAX_CHARS: usize = 500;

/// A standard reason for rejecting an identity confirmation request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReasonCode {
    /// The passport is past its validity date (for example the holder turned
    /// 20 or 45 and has not replaced it).
    DocumentExpired,
    /// The passport is damaged, altered or listed as invalid.
    DocumentInvalid,
    /// The data the visitor entered differ from the passport.
    DataMismatch,
    /// The visitor does not look like the passport photo.
    PhotoMismatch,
    /// The visitor left before the operator could check the passport.
    VisitorAbsent,
    /// Anything else, described in the operator's comment.
    Other,
}

impl RejectReasonCode {
    /// Every standard reason, in the order an operator's list shows them.
    pub const ALL: [RejectReasonCode; 6] = [
        RejectReasonCode::DocumentExpired,
        RejectReasonCode::DocumentInvalid,
        RejectReasonCode::DataMismatch,
        RejectReasonCode::PhotoMismatch,
        RejectReasonCode::VisitorAbsent,
        RejectReasonCode::Other,
    ];

    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            RejectReasonCode::DocumentExpired => "document_expired",
            RejectReasonCode::DocumentInvalid => "document_invalid",
            RejectReasonCode::DataMismatch => "data_mismatch",
            RejectReasonCode::PhotoMismatch => "photo_mismatch",
            RejectReasonCode::VisitorAbsent => "visitor_absent",
            RejectReasonCode::Other => "other",
        }
    }

    /// Returns the reason as the visitor and the operator read it.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RejectReasonCode::DocumentExpired, Lang::Ru) => "Срок действия паспорта истёк",
            (RejectReasonCode::DocumentExpired, Lang::En) => "The passport has expired",
            (RejectReasonCode::DocumentInvalid, Lang::Ru) => "Паспорт недействителен или повреждён",
            (RejectReasonCode::DocumentInvalid, Lang::En) => "The passport is invalid or damaged",
            (RejectReasonCode::DataMismatch, Lang::Ru) => {
                "Введённые данные не совпадают с данными паспорта"
            }
            (RejectReasonCode::DataMismatch, Lang::En) => {
                "The data entered do not match the passport"
            }
            (RejectReasonCode::PhotoMismatch, Lang::Ru) => {
                "Внешность не совпадает с фотографией в паспорте"
            }
            (RejectReasonCode::PhotoMismatch, Lang::En) => {
                "The visitor does not match the passport photo"
            }
            (RejectReasonCode::VisitorAbsent, Lang::Ru) => "Заявитель не подошёл к окну",
            (RejectReasonCode::VisitorAbsent, Lang::En) => "The visitor did not come to the window",
            (RejectReasonCode::Other, Lang::Ru) => "Другая причина",
            (RejectReasonCode::Other, Lang::En) => "Other reason",
        }
    }
}

impl fmt::Display for RejectReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A checked reason for rejecting a request: a standard reason and an
/// optional operator's comment, which the reason [`RejectReasonCode::Other`]
/// requires.
///
/// The comment is trimmed; an empty one is stored as none. Deserializing
/// applies the same checks as [`RejectReason::new`].
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RejectReasonParts", into = "RejectReasonParts")]
pub struct RejectReason {
    code: RejectReasonCode,
    comment: Option<String>,
}

/// The wire form of a [`RejectReason`], before its checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectReasonParts {
    pub code: RejectReasonCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl RejectReason {
    /// Checks a reason and its comment.
    ///
    /// # Errors
    ///
    /// [`RejectReasonError::CommentMissing`] when the reason is "other" and
    /// the comment is empty or blank, [`RejectReasonError::CommentTooLong`]
    /// when the trimmed comment has more than [`COMMENT_MAX_CHARS`]
    /// characters.
    pub fn new(
        code: RejectReasonCode,
        comment: Option<&str>,
    ) -> Result<RejectReason, RejectReasonError> {
        let comment = comment.map(str::trim).filter(|text| !text.is_empty());

        if let Some(text) = comment {
            let chars = text.chars().count();
            if chars > COMMENT_MAX_CHARS {
                return Err(RejectReasonError::CommentTooLong { chars });
            }
        }
        if code == RejectReasonCode::Other && comment.is_none() {
            return Err(RejectReasonError::CommentMissing);
        }

        Ok(RejectReason {
            code,
            comment: comment.map(str::to_owned),
        })
    }

    /// Creates a standard reason without a comment.
    ///
    /// # Errors
    ///
    /// [`RejectReasonError::CommentMissing`] for [`RejectReasonCode::Other`].
    pub fn standard(code: RejectReasonCode) -> Result<RejectReason, RejectReasonError> {
        RejectReason::new(code, None)
    }

    /// Returns the standard reason.
    pub fn code(&self) -> RejectReasonCode {
        self.code
    }

    /// Returns the operator's comment, if any.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }

    /// Returns the text the visitor reads: the standard reason, followed by
    /// the comment when there is one. For "other" it is the comment alone.
    pub fn text(&self, lang: Lang) -> String {
        match (&self.comment, self.code) {
            (Some(comment), RejectReasonCode::Other) => comment.clone(),
            (Some(comment), code) => format!("{}. {}", code.text(lang), comment),
            (None, code) => code.text(lang).to_owned(),
        }
    }
}

impl fmt::Debug for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The comment is free text and may carry personal data.
        f.debug_struct("RejectReason")
            .field("code", &self.code)
            .field("has_comment", &self.comment.is_some())
            .finish()
    }
}

impl TryFrom<RejectReasonParts> for RejectReason {
    type Error = RejectReasonError;

    fn try_from(parts: RejectReasonParts) -> Result<Self, Self::Error> {
        RejectReason::new(parts.code, parts.comment.as_deref())
    }
}

impl From<RejectReason> for RejectReasonParts {
    fn from(reason: RejectReason) -> Self {
        RejectReasonParts {
            code: reason.code,
            comment: reason.comment,
        }
    }
}

/// A reject reason the operator has to correct before rejecting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RejectReasonError {
    #[error("the reject reason \"other\" requires a comment; describe the reason")]
    CommentMissing,
    #[error(
        "the reject comment has {chars} characters, more than the maximum {COMMENT_MAX_CHARS}; shorten it"
    )]
    CommentTooLong { chars: usize },
}

impl RejectReasonError {
    /// Returns the stable code of the broken rule.
    pub fn code(&self) -> &'static str {
        match self {
            RejectReasonError::CommentMissing => "reject_comment.missing",
            RejectReasonError::CommentTooLong { .. } => "reject_comment.too_long",
        }
    }

    /// Returns the message the operator reads under the comment field.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RejectReasonError::CommentMissing, Lang::Ru) => {
                "Для причины «Другая причина» напишите комментарий: что именно не так.".to_owned()
            }
            (RejectReasonError::CommentMissing, Lang::En) => {
                "The reason \"Other reason\" needs a comment: say what is wrong.".to_owned()
            }
            (RejectReasonError::CommentTooLong { chars }, Lang::Ru) => format!(
                "Комментарий слишком длинный: {chars} символов, допустимо не больше \
                 {COMMENT_MAX_CHARS}. Сократите его."
            ),
            (RejectReasonError::CommentTooLong { chars }, Lang::En) => format!(
                "The comment is too long: {chars} characters, at most {COMMENT_MAX_CHARS} \
                 are allowed. Shorten it."
            ),
        }
    }
}
