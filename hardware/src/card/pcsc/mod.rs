//! Readers and cards through PC/SC (pcsc-lite's `pcscd`), via the `pcsc`
//! crate.
//!
//! - [`monitor`]: a thread that watches readers and cards and sends typed
//!   events.
//! - [`transport`]: a connected card as a [`Transport`](crate::card::Transport).

pub mod monitor;
pub mod transport;

pub use monitor::{CardEvent, Monitor};
pub use transport::PcscCard;

/// Failure to use PC/SC at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PcscError {
    /// pcscd is not running (`SCARD_E_NO_SERVICE`).
    #[error("the PC/SC service (pcscd) is not running")]
    NoService,
    #[error("PC/SC failed: {0}")]
    Other(String),
}

impl PcscError {
    pub fn message_ru(&self) -> String {
        match self {
            PcscError::NoService => {
                "Служба смарт-карт (pcscd) не запущена. Запустите её или перезагрузите киоск."
                    .to_owned()
            }
            PcscError::Other(detail) => format!("Ошибка подсистемы считывателей PC/SC: {detail}."),
        }
    }
}

impl From<::pcsc::Error> for PcscError {
    fn from(err: ::pcsc::Error) -> Self {
        match err {
            ::pcsc::Error::NoService | ::pcsc::Error::ServiceStopped => PcscError::NoService,
            other => PcscError::Other(other.to_string()),
        }
    }
}

/// Connects to pcscd.
pub fn establish() -> Result<::pcsc::Context, PcscError> {
    Ok(::pcsc::Context::establish(::pcsc::Scope::User)?)
}

/// Lists the readers pcscd reports. No readers is an empty list, not an error.
pub fn list_readers(context: &::pcsc::Context) -> Result<Vec<String>, PcscError> {
    match context.list_readers_owned() {
        Ok(names) => Ok(names
            .into_iter()
            .map(|name| name.to_string_lossy().into_owned())
            .collect()),
        Err(::pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(err) => Err(err.into()),
    }
}
