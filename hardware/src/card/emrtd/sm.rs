//! Secure messaging with 3DES session keys (ICAO 9303 Part 11), both
//! sides: the reader protects commands and checks responses, the virtual
//! chip checks commands and protects responses.
//!
//! Each protected APDU increments the send sequence counter (SSC) once, so
//! the reader and the chip must process every APDU in the same order.
//! Data travels encrypted in DO'87' (with a padding indicator byte) for
//! even INS and in DO'85' (without it) for odd INS such as READ BINARY
//! `B1`; the reader accepts either in responses.

use super::crypto::{self, Key16};
use super::tlv;
use crate::card::apdu::{Command, Response, EXTENDED_MAX_NE, SHORT_MAX_NE};
use crate::card::status::StatusWord;

/// Failure to check or decode a protected APDU.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmError {
    #[error("secure messaging object {0:02X} missing")]
    MissingObject(u8),
    #[error("secure messaging MAC does not match")]
    MacMismatch,
    #[error("secure messaging data malformed: {0}")]
    Malformed(String),
}

impl From<tlv::TlvError> for SmError {
    fn from(err: tlv::TlvError) -> Self {
        SmError::Malformed(err.to_string())
    }
}

/// Session keys and send sequence counter of one BAC session.
pub struct SecureChannel {
    enc: Key16,
    mac: Key16,
    ssc: u64,
    /// Chip side: whether the last unwrapped command had an odd INS, so
    /// its response data goes into DO'85'.
    odd_instruction: bool,
}

impl std::fmt::Debug for SecureChannel {
    // Session keys stay out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecureChannel")
            .field("ssc", &format_args!("{:016X}", self.ssc))
            .finish_non_exhaustive()
    }
}

fn pad_header(command: &Command) -> Vec<u8> {
    crypto::pad(&[command.cla | 0x0C, command.ins, command.p1, command.p2])
}

fn encode_le(ne: usize, extended: bool) -> Vec<u8> {
    if extended {
        let le = if ne >= EXTENDED_MAX_NE { 0 } else { ne as u16 };
        le.to_be_bytes().to_vec()
    } else {
        vec![if ne >= SHORT_MAX_NE { 0 } else { ne as u8 }]
    }
}

fn decode_le(value: &[u8]) -> Result<usize, SmError> {
    match value {
        [0] => Ok(SHORT_MAX_NE),
        [le] => Ok(usize::from(*le)),
        [0, 0] => Ok(EXTENDED_MAX_NE),
        [high, low] => Ok(usize::from(u16::from_be_bytes([*high, *low]))),
        _ => Err(SmError::Malformed(format!(
            "DO'97' of {} bytes",
            value.len()
        ))),
    }
}

impl SecureChannel {
    /// Starts a channel with session keys and the initial SSC.
    pub fn new(enc: Key16, mac: Key16, ssc: [u8; 8]) -> Self {
        SecureChannel {
            enc,
            mac,
            ssc: u64::from_be_bytes(ssc),
            odd_instruction: false,
        }
    }

    pub fn ssc(&self) -> [u8; 8] {
        self.ssc.to_be_bytes()
    }

    fn mac_over(&self, parts: &[&[u8]]) -> [u8; 8] {
        let mut input = self.ssc.to_be_bytes().to_vec();
        for part in parts {
            input.extend_from_slice(part);
        }
        crypto::retail_mac(&self.mac, &input)
    }

    /// Encrypts data into DO'87' (even INS) or DO'85' (odd INS).
    fn encrypted_data_object(&self, data: &[u8], odd_instruction: bool) -> Vec<u8> {
        let cryptogram = crypto::encrypt_cbc(&self.enc, &crypto::pad(data));
        if odd_instruction {
            return tlv::encode(0x85, &cryptogram);
        }
        let mut value = vec![0x01];
        value.extend(cryptogram);
        tlv::encode(0x87, &value)
    }

    /// Decrypts the value of DO'87' or DO'85' (given by `tag`).
    fn decrypt_data_object(&self, tag: u32, value: &[u8]) -> Result<Vec<u8>, SmError> {
        let cryptogram = if tag == 0x85 {
            value
        } else {
            let (&indicator, cryptogram) = value
                .split_first()
                .ok_or_else(|| SmError::Malformed("empty DO'87'".to_owned()))?;
            if indicator != 0x01 {
                return Err(SmError::Malformed(format!(
                    "DO'87' padding indicator {indicator:02X}"
                )));
            }
            cryptogram
        };
        let plain = crypto::decrypt_cbc(&self.enc, cryptogram)
            .ok_or_else(|| SmError::Malformed("DO'87' is not whole 3DES blocks".to_owned()))?;
        let data =
            crypto::unpad(&plain).ok_or_else(|| SmError::Malformed("DO'87' padding".to_owned()))?;
        Ok(data.to_vec())
    }

    /// Reader side: wraps a plain command. An extended inner command (or one
    /// whose protected data exceeds 255 bytes) gives an extended protected
    /// command with Le = `00 00`; otherwise Le = `00`.
    pub fn protect(&mut self, command: &Command) -> Command {
        let extended = command.is_extended();
        let header = pad_header(command);
        let do87 = if command.data.is_empty() {
            Vec::new()
        } else {
            self.encrypted_data_object(&command.data, command.ins & 1 == 1)
        };
        let do97 = match command.ne {
            Some(ne) => tlv::encode(0x97, &encode_le(ne, extended)),
            None => Vec::new(),
        };

        self.ssc = self.ssc.wrapping_add(1);
        let mac = self.mac_over(&[&header, &do87, &do97]);

        let mut data = do87;
        data.extend(do97);
        data.extend(tlv::encode(0x8E, &mac));
        let outer_extended = extended || data.len() > 255;
        Command {
            cla: command.cla | 0x0C,
            ins: command.ins,
            p1: command.p1,
            p2: command.p2,
            data,
            ne: Some(if outer_extended {
                EXTENDED_MAX_NE
            } else {
                SHORT_MAX_NE
            }),
        }
    }

    /// Reader side: checks and decrypts a protected response. A response with
    /// no data field is a plain error status from the chip and is returned
    /// as it is (chips abort secure messaging that way).
    pub fn unprotect(&mut self, response: &Response) -> Result<Response, SmError> {
        self.ssc = self.ssc.wrapping_add(1);
        if response.data.is_empty() {
            return Ok(response.clone());
        }

        let objects = tlv::decode_all(&response.data)?;
        let mut do87 = None;
        let mut do99 = None;
        let mut do8e = None;
        let mut mac_input = Vec::new();
        for object in &objects {
            match object.tag {
                0x85 | 0x87 => do87 = Some((object.tag, object.value)),
                0x99 => do99 = Some(object.value),
                0x8E => {
                    do8e = Some(object.value);
                    continue;
                }
                _ => {}
            }
            if do8e.is_none() {
                mac_input.extend(tlv::encode(object.tag, object.value));
            }
        }
        let received_mac = do8e.ok_or(SmError::MissingObject(0x8E))?;
        let status = match do99.ok_or(SmError::MissingObject(0x99))? {
            [sw1, sw2] => StatusWord::new(*sw1, *sw2),
            other => {
                return Err(SmError::Malformed(format!(
                    "DO'99' of {} bytes",
                    other.len()
                )))
            }
        };
        if !crypto::macs_equal(&self.mac_over(&[&mac_input]), received_mac) {
            return Err(SmError::MacMismatch);
        }
        let data = match do87 {
            Some((tag, value)) => self.decrypt_data_object(tag, value)?,
            None => Vec::new(),
        };
        Ok(Response { data, status })
    }

    /// Chip side: checks the MAC of a protected command and returns the
    /// plain command inside it.
    pub fn unwrap_command(&mut self, command: &Command) -> Result<Command, SmError> {
        self.ssc = self.ssc.wrapping_add(1);
        self.odd_instruction = command.ins & 1 == 1;
        if command.cla & 0x0C != 0x0C {
            return Err(SmError::MissingObject(0x8E));
        }
        let objects = tlv::decode_all(&command.data)?;
        let mut do87 = None;
        let mut do97 = None;
        let mut do8e = None;
        let mut mac_input = pad_header(command);
        for object in &objects {
            match object.tag {
                0x85 | 0x87 => do87 = Some((object.tag, object.value)),
                0x97 => do97 = Some(object.value),
                0x8E => {
                    do8e = Some(object.value);
                    continue;
                }
                other => {
                    return Err(SmError::Malformed(format!(
                        "unexpected data object {other:X}"
                    )))
                }
            }
            mac_input.extend(tlv::encode(object.tag, object.value));
        }
        let received_mac = do8e.ok_or(SmError::MissingObject(0x8E))?;
        if !crypto::macs_equal(&self.mac_over(&[&mac_input]), received_mac) {
            return Err(SmError::MacMismatch);
        }
        let data = match do87 {
            Some((tag, value)) => self.decrypt_data_object(tag, value)?,
            None => Vec::new(),
        };
        let ne = do97.map(decode_le).transpose()?;
        Ok(Command {
            cla: command.cla & !0x0C,
            ins: command.ins,
            p1: command.p1,
            p2: command.p2,
            data,
            ne,
        })
    }

    /// Chip side: protects a plain response (DO'87' when there is data,
    /// DO'99' with the status word, DO'8E' with the MAC).
    pub fn wrap_response(&mut self, response: &Response) -> Response {
        self.ssc = self.ssc.wrapping_add(1);
        let mut body = if response.data.is_empty() {
            Vec::new()
        } else {
            self.encrypted_data_object(&response.data, self.odd_instruction)
        };
        body.extend(tlv::encode(0x99, &response.status.to_bytes()));
        let mac = self.mac_over(&[&body]);
        body.extend(tlv::encode(0x8E, &mac));
        Response {
            data: body,
            status: response.status,
        }
    }
}

/// The largest plain READ BINARY length whose protected short response
/// still fits 256 bytes: DO'87' header (4) + data padded to 232 + DO'99'
/// (4) + DO'8E' (10) = 250.
pub const MAX_SHORT_PROTECTED_READ: usize = 231;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::hex;

    fn appendix_d_channel() -> SecureChannel {
        SecureChannel::new(
            hex::decode("979EC13B1CBFE9DCD01AB0FED307EAE5")
                .try_into()
                .unwrap(),
            hex::decode("F1CB1F1FB5ADF208806B89DC579DC1F8")
                .try_into()
                .unwrap(),
            hex::decode("887022120C06C226").try_into().unwrap(),
        )
    }

    // ICAO 9303 Part 11, Appendix D.4: SELECT EF.COM, READ BINARY of 4
    // bytes, READ BINARY of the remaining 18.
    #[test]
    fn appendix_d_reader_side() {
        let mut channel = appendix_d_channel();

        let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex::decode("011E"));
        let protected = channel.protect(&select);
        assert_eq!(
            hex::encode(&protected.to_bytes().unwrap()),
            "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"
        );
        let response = channel
            .unprotect(&Response::parse(&hex::decode("990290008E08FA855A5D4C50A8ED9000")).unwrap())
            .unwrap();
        assert_eq!(response, Response::new(vec![], StatusWord::SUCCESS));

        let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(4);
        assert_eq!(
            hex::encode(&channel.protect(&read).to_bytes().unwrap()),
            "0CB000000D9701048E08ED6705417E96BA5500"
        );
        let response = channel
            .unprotect(
                &Response::parse(&hex::decode(
                    "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000",
                ))
                .unwrap(),
            )
            .unwrap();
        assert_eq!(hex::encode(&response.data), "60145F01");

        let read = Command::new(0x00, 0xB0, 0x00, 0x04).with_ne(0x12);
        assert_eq!(
            hex::encode(&channel.protect(&read).to_bytes().unwrap()),
            "0CB000040D9701128E082EA28A70F3C7B53500"
        );
        let response = channel
            .unprotect(
                &Response::parse(&hex::decode(
                    "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
                ))
                .unwrap(),
            )
            .unwrap();
        assert_eq!(
            hex::encode(&response.data),
            "04303130365F36063034303030305C026175"
        );
        assert_eq!(hex::encode(&channel.ssc()), "887022120C06C22C");
    }

    // The chip side must produce the very bytes Appendix D shows the chip sending.
    #[test]
    fn appendix_d_chip_side() {
        let mut chip = appendix_d_channel();

        let select = Command::parse(&hex::decode(
            "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
        ))
        .unwrap();
        let plain = chip.unwrap_command(&select).unwrap();
        assert_eq!(
            plain,
            Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex::decode("011E"))
        );
        let wrapped = chip.wrap_response(&Response::new(vec![], StatusWord::SUCCESS));
        assert_eq!(
            hex::encode(&wrapped.to_bytes()),
            "990290008E08FA855A5D4C50A8ED9000"
        );

        let read = Command::parse(&hex::decode("0CB000000D9701048E08ED6705417E96BA5500")).unwrap();
        assert_eq!(
            chip.unwrap_command(&read).unwrap(),
            Command::new(0, 0xB0, 0, 0).with_ne(4)
        );
        let wrapped =
            chip.wrap_response(&Response::new(hex::decode("60145F01"), StatusWord::SUCCESS));
        assert_eq!(
            hex::encode(&wrapped.to_bytes()),
            "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"
        );
    }

    #[test]
    fn tampered_response_mac_is_rejected() {
        let mut channel = appendix_d_channel();
        channel.protect(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(hex::decode("011E")));
        let tampered = Response::parse(&hex::decode("990290018E08FA855A5D4C50A8ED9000")).unwrap();
        assert_eq!(channel.unprotect(&tampered), Err(SmError::MacMismatch));
    }

    #[test]
    fn extended_read_round_trips() {
        let mut reader = appendix_d_channel();
        let mut chip = appendix_d_channel();
        let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(4000);
        let protected = reader.protect(&read);
        let bytes = protected.to_bytes().unwrap();
        assert_eq!(&bytes[..5], &hex::decode("0CB0000000"));
        assert_eq!(&bytes[bytes.len() - 2..], &[0, 0]);
        let inner = chip
            .unwrap_command(&Command::parse(&bytes).unwrap())
            .unwrap();
        assert_eq!(inner, read);
        let data: Vec<u8> = (0..4000u32).map(|i| i as u8).collect();
        let wrapped = chip.wrap_response(&Response::new(data.clone(), StatusWord::SUCCESS));
        assert_eq!(reader.unprotect(&wrapped).unwrap().data, data);
    }

    #[test]
    fn plain_error_passes_through() {
        let mut channel = appendix_d_channel();
        let response = channel
            .unprotect(&Response::new(vec![], StatusWord(0x6988)))
            .unwrap();
        assert_eq!(response.status, StatusWord(0x6988));
    }
}
