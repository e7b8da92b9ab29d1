//! Command and response APDUs (ISO 7816-4) in their short and
//! extended forms.
//!
//! Encoding picks the short form when the data field fits 255 bytes and the
//! expected length fits 256; otherwise it uses the extended form, which the
//! card must announce support for (a passport chip does so in EF.ATR/INFO
//! or simply answers `6700` to it). Choosing when to ask for more is left to
//! the callers.

use super::status::StatusWord;

/// Largest Ne a short APDU can ask for (Le = `00`).
pub const SHORT_MAX_NE: usize = 256;
/// Largest Ne an extended APDU can ask for (Le = `00 00`).
pub const EXTENDED_MAX_NE: usize = 65_536;

/// A command APDU: header, optional data field and expected response length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    /// Ne, the maximum number of response data bytes expected; `None` when
    /// the command expects no data (no Le field).
    pub ne: Option<usize>,
}

/// Why a byte string is not a command APDU.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApduError {
    #[error("APDU of {0} bytes is shorter than the 4-byte header")]
    TooShort(usize),
    #[error("APDU length fields do not match its {0} bytes")]
    LengthMismatch(usize),
    #[error("response APDU of {0} bytes has no status word")]
    NoStatusWord(usize),
    #[error("data field of {0} bytes exceeds the extended maximum of 65535")]
    DataTooLong(usize),
    #[error("expected length {0} exceeds the extended maximum of 65536")]
    NeTooLarge(usize),
}

impl Command {
    /// Builds a command with no data and no expected response.
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Command {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            ne: None,
        }
    }

    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = data.into();
        self
    }

    /// Sets Ne; values above 65536 are rejected when encoding.
    pub fn with_ne(mut self, ne: usize) -> Self {
        self.ne = Some(ne);
        self
    }

    /// Returns true when the command needs the extended length form.
    pub fn is_extended(&self) -> bool {
        self.data.len() > 255 || self.ne.is_some_and(|ne| ne > SHORT_MAX_NE)
    }

    /// Encodes the command, choosing the short or the extended form.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ApduError> {
        if self.data.len() > 0xFFFF {
            return Err(ApduError::DataTooLong(self.data.len()));
        }
        if let Some(ne) = self.ne {
            if ne > EXTENDED_MAX_NE {
                return Err(ApduError::NeTooLarge(ne));
            }
        }
        let mut out = Vec::with_capacity(4 + 3 + self.data.len() + 3);
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        let extended = self.is_extended();

        if !self.data.is_empty() {
            if extended {
                let lc = self.data.len() as u16;
                out.push(0x00);
                out.extend_from_slice(&lc.to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }

        if let Some(ne) = self.ne {
            if extended {
                // With a data field, Lc already carried the extended marker byte.
                if self.data.is_empty() {
                    out.push(0x00);
                }
                let le = if ne == EXTENDED_MAX_NE { 0 } else { ne as u16 };
                out.extend_from_slice(&le.to_be_bytes());
            } else {
                out.push(if ne == SHORT_MAX_NE { 0 } else { ne as u8 });
            }
        }
        Ok(out)
    }

    /// Decodes a command APDU in any of the four cases, short or extended.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        if bytes.len() < 4 {
            return Err(ApduError::TooShort(bytes.len()));
        }
        let mut command = Command::new(bytes[0], bytes[1], bytes[2], bytes[3]);
        let body = &bytes[4..];
        let mismatch = || ApduError::LengthMismatch(bytes.len());

        match body.len() {
            // Case 1: header only.
            0 => {}
            // Case 2 short: Le alone.
            1 => command.ne = Some(short_ne(body[0])),
            _ if body[0] != 0 => {
                // Case 3 or 4 short: Lc, data, optional Le.
                let lc = usize::from(body[0]);
                let rest = &body[1..];
                if rest.len() == lc {
                    command.data = rest.to_vec();
                } else if rest.len() == lc + 1 {
                    command.data = rest[..lc].to_vec();
                    command.ne = Some(short_ne(rest[lc]));
                } else {
                    return Err(mismatch());
                }
            }
            // Case 2 extended: 00 Le1 Le2.
            3 => command.ne = Some(extended_ne(body[1], body[2])),
            _ => {
                // Case 3 or 4 extended: 00 Lc1 Lc2, data, optional Le1 Le2.
                let lc = usize::from(u16::from_be_bytes([body[1], body[2]]));
                let rest = &body[3..];
                if lc == 0 {
                    return Err(mismatch());
                }
                if rest.len() == lc {
                    command.data = rest.to_vec();
                } else if rest.len() == lc + 2 {
                    command.data = rest[..lc].to_vec();
                    command.ne = Some(extended_ne(rest[lc], rest[lc + 1]));
                } else {
                    return Err(mismatch());
                }
            }
        }
        Ok(command)
    }
}

fn short_ne(le: u8) -> usize {
    if le == 0 {
        SHORT_MAX_NE
    } else {
        usize::from(le)
    }
}

fn extended_ne(high: u8, low: u8) -> usize {
    match u16::from_be_bytes([high, low]) {
        0 => EXTENDED_MAX_NE,
        ne => usize::from(ne),
    }
}

/// A response APDU: data field and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub status: StatusWord,
}

impl Response {
    pub fn new(data: impl Into<Vec<u8>>, status: StatusWord) -> Self {
        Response {
            data: data.into(),
            status,
        }
    }

    /// Splits the trailing SW1 SW2 off a response.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        if bytes.len() < 2 {
            return Err(ApduError::NoStatusWord(bytes.len()));
        }
        let (data, sw) = bytes.split_at(bytes.len() - 2);
        Ok(Response {
            data: data.to_vec(),
            status: StatusWord::new(sw[0], sw[1]),
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() + 2);
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.status.to_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        crate::card::hex::decode(s)
    }

    #[test]
    fn short_forms_encode_exactly() {
        assert_eq!(
            Command::new(0x00, 0x84, 0, 0)
                .with_ne(8)
                .to_bytes()
                .unwrap(),
            hex("0084000008")
        );
        assert_eq!(
            Command::new(0x00, 0xA4, 0x02, 0x0C)
                .with_data(hex("011E"))
                .to_bytes()
                .unwrap(),
            hex("00A4020C02011E")
        );
        assert_eq!(
            Command::new(0x00, 0xB0, 0, 0)
                .with_ne(256)
                .to_bytes()
                .unwrap(),
            hex("00B0000000")
        );
        assert_eq!(
            Command::new(0x00, 0x82, 0, 0)
                .with_data([1, 2])
                .with_ne(0x28)
                .to_bytes()
                .unwrap(),
            hex("00820000020102")
                .into_iter()
                .chain([0x28])
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn extended_forms_encode_exactly() {
        assert_eq!(
            Command::new(0x00, 0xB0, 0, 0)
                .with_ne(1000)
                .to_bytes()
                .unwrap(),
            hex("00B000000003E8")
        );
        assert_eq!(
            Command::new(0x00, 0xB0, 0, 0)
                .with_ne(65_536)
                .to_bytes()
                .unwrap(),
            hex("00B00000000000")
        );
        let data = vec![0xAB; 300];
        let bytes = Command::new(0x0C, 0xD6, 0, 0)
            .with_data(data.clone())
            .with_ne(256)
            .to_bytes()
            .unwrap();
        assert_eq!(&bytes[..7], &hex("0CD6000000012C"));
        assert_eq!(&bytes[7..307], &data[..]);
        assert_eq!(&bytes[307..], &hex("0100"));
    }

    #[test]
    fn parse_round_trips_all_cases() {
        let commands = [
            Command::new(0x00, 0xA4, 0x00, 0x0C),
            Command::new(0x00, 0x84, 0, 0).with_ne(8),
            Command::new(0x00, 0xB0, 0, 0).with_ne(256),
            Command::new(0x00, 0xA4, 2, 0x0C).with_data(hex("011E")),
            Command::new(0x0C, 0xB0, 0, 4)
                .with_data(hex("970112"))
                .with_ne(256),
            Command::new(0x00, 0xB0, 0, 0).with_ne(4000),
            Command::new(0x00, 0xB0, 0, 0).with_ne(65_536),
            Command::new(0x0C, 0xB1, 0, 0).with_data(vec![7; 300]),
            Command::new(0x0C, 0xB1, 0, 0)
                .with_data(vec![7; 20])
                .with_ne(60_000),
        ];
        for command in commands {
            let bytes = command.to_bytes().unwrap();
            assert_eq!(Command::parse(&bytes).unwrap(), command, "{bytes:02X?}");
        }
    }

    #[test]
    fn parse_rejects_bad_lengths() {
        assert_eq!(Command::parse(&[0, 0xA4, 0]), Err(ApduError::TooShort(3)));
        assert_eq!(
            Command::parse(&hex("00A4020C05011E")),
            Err(ApduError::LengthMismatch(7))
        );
    }

    #[test]
    fn too_large_ne_is_rejected() {
        assert_eq!(
            Command::new(0, 0xB0, 0, 0).with_ne(70_000).to_bytes(),
            Err(ApduError::NeTooLarge(70_000))
        );
    }

    #[test]
    fn response_splits_status_word() {
        let response = Response::parse(&hex("60145F019000")).unwrap();
        assert_eq!(response.data, hex("60145F01"));
        assert_eq!(response.status, StatusWord::SUCCESS);
        assert_eq!(response.to_bytes(), hex("60145F019000"));
        assert_eq!(Response::parse(&[0x90]), Err(ApduError::NoStatusWord(1)));
    }
}
