//! A card connected through PC/SC, carrying APDUs with `SCardTransmit`.

use std::ffi::CString;

use ::pcsc::{Card, Context, Protocols, ShareMode, MAX_BUFFER_SIZE_EXTENDED};

use crate::card::transport::{Transport, TransportError};

/// A connected card.
pub struct PcscCard {
    card: Card,
    reader: String,
    buffer: Vec<u8>,
}

fn map_error(err: ::pcsc::Error) -> TransportError {
    use ::pcsc::Error;
    match err {
        Error::RemovedCard
        | Error::ResetCard
        | Error::NoSmartcard
        | Error::UnpoweredCard
        | Error::UnresponsiveCard => TransportError::CardRemoved,
        Error::ReaderUnavailable
        | Error::UnknownReader
        | Error::NoService
        | Error::ServiceStopped
        | Error::NoReadersAvailable
        | Error::InvalidHandle => TransportError::ReaderUnavailable,
        other => TransportError::Other(other.to_string()),
    }
}

impl PcscCard {
    /// Connects to the card in `reader` (shared mode, T=0 or T=1).
    pub fn connect(context: &Context, reader: &str) -> Result<Self, TransportError> {
        let name = CString::new(reader)
            .map_err(|_| TransportError::Other("reader name contains NUL".to_owned()))?;
        let card = context
            .connect(&name, ShareMode::Shared, Protocols::ANY)
            .map_err(map_error)?;
        Ok(PcscCard {
            card,
            reader: reader.to_owned(),
            buffer: vec![0; MAX_BUFFER_SIZE_EXTENDED],
        })
    }

    pub fn reader(&self) -> &str {
        &self.reader
    }
}

impl Transport for PcscCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let response = self
            .card
            .transmit(command, &mut self.buffer)
            .map_err(map_error)?;
        Ok(response.to_vec())
    }
}
