//! The seam between card protocols and whatever carries APDUs: a PC/SC
//! reader, the in-process virtual chip, or a test script.
//!
//! [`exchange`] adds the T=0 style response handling every caller needs:
//! `61xx` is followed by GET RESPONSE (`00 C0 00 00 xx`) until the card has
//! sent everything, and `6Cxx` repeats the command once with Le = xx.
//! [`Metered`] counts APDUs and bytes for benchmarks and diagnostics.

use super::apdu::{ApduError, Command, Response};

/// The most GET RESPONSE rounds [`exchange`] follows; a card that keeps
/// answering `61xx` past this is treated as faulty.
const MAX_GET_RESPONSE_ROUNDS: usize = 64;

/// Failure to deliver an APDU or to receive its response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The card left the reader's field (or was pulled out) during the exchange.
    #[error("card removed during the exchange")]
    CardRemoved,
    /// The reader itself disappeared (unplugged, or the driver stopped).
    #[error("reader unavailable")]
    ReaderUnavailable,
    /// The card answered with something that is not a response APDU, or
    /// kept answering `61xx`.
    #[error("malformed card response: {0}")]
    Malformed(String),
    /// The command could not be encoded.
    #[error(transparent)]
    Apdu(#[from] ApduError),
    /// Any other failure of the carrier, with its own description.
    #[error("card transport failed: {0}")]
    Other(String),
}

/// Carries one command APDU to a card and returns the raw response
/// (data followed by SW1 SW2).
pub trait Transport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
}

/// Sends a command and returns the complete response, following `61xx`
/// with GET RESPONSE and retrying once on `6Cxx` with the Le the card gave.
///
/// The returned status word is the card's final one; mapping it to an error
/// is the caller's choice (`Response::status.check()`).
pub fn exchange(
    transport: &mut dyn Transport,
    command: &Command,
) -> Result<Response, TransportError> {
    let mut response = transmit_parsed(transport, &command.to_bytes()?)?;

    if response.status.sw1() == 0x6C {
        let available = match response.status.sw2() {
            0 => 256,
            n => usize::from(n),
        };
        let retry = command.clone().with_ne(available);
        response = transmit_parsed(transport, &retry.to_bytes()?)?;
    }

    let mut data = std::mem::take(&mut response.data);
    let mut rounds = 0;
    while response.status.sw1() == 0x61 {
        rounds += 1;
        if rounds > MAX_GET_RESPONSE_ROUNDS {
            return Err(TransportError::Malformed(format!(
                "card still had data after {MAX_GET_RESPONSE_ROUNDS} GET RESPONSE rounds"
            )));
        }
        let available = match response.status.sw2() {
            0 => 256,
            n => usize::from(n),
        };
        let get_response = Command::new(command.cla & 0x03, 0xC0, 0x00, 0x00).with_ne(available);
        response = transmit_parsed(transport, &get_response.to_bytes()?)?;
        data.append(&mut response.data);
    }

    Ok(Response {
        data,
        status: response.status,
    })
}

fn transmit_parsed(
    transport: &mut dyn Transport,
    bytes: &[u8],
) -> Result<Response, TransportError> {
    let raw = transport.transmit(bytes)?;
    Response::parse(&raw).map_err(|err| TransportError::Malformed(err.to_string()))
}

/// Counts of what went over a transport.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    pub commands: usize,
    /// Bytes sent, command APDUs in full.
    pub bytes_sent: usize,
    /// Bytes received, including status words.
    pub bytes_received: usize,
}

/// A transport wrapper that counts commands and bytes.
pub struct Metered<T> {
    inner: T,
    traffic: Traffic,
}

impl<T: Transport> Metered<T> {
    pub fn new(inner: T) -> Self {
        Metered {
            inner,
            traffic: Traffic::default(),
        }
    }

    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: Transport> Transport for Metered<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let response = self.inner.transmit(command)?;
        self.traffic.commands += 1;
        self.traffic.bytes_sent += command.len();
        self.traffic.bytes_received += response.len();
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::hex;
    use crate::card::status::StatusWord;

    /// A card that answers from a fixed script and records what it was sent.
    struct Scripted {
        answers: Vec<&'static str>,
        sent: Vec<String>,
    }

    impl Transport for Scripted {
        fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.sent.push(hex::encode(command));
            if self.answers.is_empty() {
                return Err(TransportError::CardRemoved);
            }
            Ok(hex::decode(self.answers.remove(0)))
        }
    }

    fn scripted(answers: &[&'static str]) -> Scripted {
        Scripted {
            answers: answers.to_vec(),
            sent: Vec::new(),
        }
    }

    #[test]
    fn get_response_collects_all_parts() {
        let mut card = scripted(&["0102 6103", "030405 6102", "0607 9000"]);
        let response = exchange(&mut card, &Command::new(0, 0xB0, 0, 0).with_ne(7)).unwrap();
        assert_eq!(response.data, hex::decode("01020304050607"));
        assert_eq!(response.status, StatusWord::SUCCESS);
        assert_eq!(card.sent, ["00B0000007", "00C0000003", "00C0000002"]);
    }

    #[test]
    fn wrong_le_retries_with_card_length() {
        let mut card = scripted(&["6C05", "0102030405 9000"]);
        let response = exchange(&mut card, &Command::new(0, 0xB0, 0, 0).with_ne(256)).unwrap();
        assert_eq!(response.data, hex::decode("0102030405"));
        assert_eq!(card.sent, ["00B0000000", "00B0000005"]);
    }

    #[test]
    fn error_status_is_returned_not_raised() {
        let mut card = scripted(&["6A82"]);
        let response =
            exchange(&mut card, &Command::new(0, 0xA4, 2, 0x0C).with_data([1, 2])).unwrap();
        assert_eq!(response.status, StatusWord(0x6A82));
        assert!(response.data.is_empty());
    }

    #[test]
    fn endless_more_data_is_malformed() {
        let mut card = scripted(&["6101"; 70]);
        let error = exchange(&mut card, &Command::new(0, 0xB0, 0, 0).with_ne(1)).unwrap_err();
        assert!(matches!(error, TransportError::Malformed(_)), "{error:?}");
    }

    #[test]
    fn removed_card_surfaces() {
        let mut card = scripted(&[]);
        let error = exchange(&mut card, &Command::new(0, 0x84, 0, 0).with_ne(8)).unwrap_err();
        assert_eq!(error, TransportError::CardRemoved);
    }

    #[test]
    fn metered_counts_bytes() {
        let mut metered = Metered::new(scripted(&["0102 6102", "0304 9000"]));
        exchange(&mut metered, &Command::new(0, 0xB0, 0, 0).with_ne(4)).unwrap();
        assert_eq!(
            metered.traffic(),
            Traffic {
                commands: 2,
                bytes_sent: 10,
                bytes_received: 8
            }
        );
    }
}
