//! What can go wrong while reading a chip document, and what the operator
//! is told: each variant has a Russian message saying what to do, and
//! [`ReadError::retry_offered`] says whether a "Повторить" button makes sense.
//!
//! Messages carry no personal data; status words and file names are fine.

use super::bac::BacError;
use super::lds::{EfId, LdsError};
use super::sm::SmError;
use crate::card::status::StatusError;
use crate::card::transport::TransportError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("card removed during reading")]
    CardRemoved,
    #[error("reader unavailable")]
    ReaderUnavailable,
    /// BAC failed: the document number or a date is wrong (or the chip is
    /// not the document the MRZ came from).
    #[error("access refused: {0}")]
    AccessDenied(BacError),
    /// The card has no eMRTD application.
    #[error("not a travel document chip ({0})")]
    NotTravelDocument(StatusError),
    #[error("{} absent on the chip (6A82)", .0.name())]
    FileAbsent(EfId),
    #[error("{} declares {length} bytes, more than the 1 MiB a reader accepts", .file.name())]
    FileTooLarge { file: EfId, length: usize },
    #[error("secure messaging failed: {0}")]
    SecureMessaging(#[from] SmError),
    #[error("card error: {0}")]
    Card(StatusError),
    #[error("malformed chip data: {0}")]
    Malformed(String),
    #[error("transport failed: {0}")]
    Transport(String),
}

impl From<TransportError> for ReadError {
    fn from(err: TransportError) -> Self {
        match err {
            TransportError::CardRemoved => ReadError::CardRemoved,
            TransportError::ReaderUnavailable => ReadError::ReaderUnavailable,
            TransportError::Malformed(detail) => ReadError::Malformed(detail),
            other => ReadError::Transport(other.to_string()),
        }
    }
}

impl From<LdsError> for ReadError {
    fn from(err: LdsError) -> Self {
        ReadError::Malformed(err.to_string())
    }
}

impl ReadError {
    /// Returns the message an operator reads.
    pub fn message_ru(&self) -> String {
        match self {
            ReadError::CardRemoved => {
                "Документ убрали со считывателя во время чтения. Положите его обратно и нажмите «Повторить».".to_owned()
            }
            ReadError::ReaderUnavailable => {
                "Считыватель отключён. Проверьте кабель считывателя и нажмите «Повторить».".to_owned()
            }
            ReadError::AccessDenied(_) => {
                "Чип отклонил ключ доступа. Проверьте номер документа, дату рождения и дату окончания срока действия.".to_owned()
            }
            ReadError::NotTravelDocument(_) => {
                "Карта на считывателе не является паспортом или ID-картой с чипом. Положите документ разворотом с фотографией на считыватель.".to_owned()
            }
            ReadError::FileAbsent(file) => {
                format!("В чипе нет группы данных {} (код 6A82). Сверьте данные по бумажному документу.", file.name())
            }
            ReadError::FileTooLarge { file, .. } => {
                format!("Чип сообщает неправдоподобный размер группы данных {}. Сверьте данные по бумажному документу.", file.name())
            }
            ReadError::SecureMessaging(_) => {
                "Защищённый обмен с чипом прервался. Уберите документ и положите его снова, затем нажмите «Повторить».".to_owned()
            }
            ReadError::Card(status) => {
                format!("Чип вернул ошибку {}. Нажмите «Повторить»; если ошибка повторится, сверьте данные по бумажному документу.", status.status_word())
            }
            ReadError::Malformed(_) => {
                "Данные в чипе повреждены или в неизвестном формате. Сверьте данные по бумажному документу.".to_owned()
            }
            ReadError::Transport(_) => {
                "Ошибка связи со считывателем. Нажмите «Повторить»; если ошибка повторится, перезапустите считыватель.".to_owned()
            }
        }
    }

    /// Returns true when trying again may succeed without changing anything
    /// but the document's position or the reader's cable.
    pub fn retry_offered(&self) -> bool {
        matches!(
            self,
            ReadError::CardRemoved
                | ReadError::ReaderUnavailable
                | ReadError::SecureMessaging(_)
                | ReadError::Card(_)
                | ReadError::Transport(_)
        )
    }
}
