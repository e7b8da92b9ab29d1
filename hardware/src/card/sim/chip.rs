//! The virtual eMRTD: answers APDUs as a BAC passport chip would, from a
//! [`ChipProfile`] and a [`TestIssuer`]. It runs in-process behind
//! [`Transport`] for unit tests, and behind vpcd for the real PC/SC stack.
//!
//! It implements: SELECT of the eMRTD application, GET CHALLENGE, EXTERNAL
//! AUTHENTICATE, and under secure messaging SELECT of EF.COM, DG1, DG2 and
//! EF.SOD and READ BINARY (`B0`, and `B1` for offsets past 32767). Reply sizes are capped as the profile
//! says, and an extended READ BINARY is refused with `6700` when the
//! profile has no extended length. Anything else answers `6D00`.

use std::collections::BTreeMap;

use rand_core::{OsRng, RngCore};
use tracing::debug;

use super::issuer::{IssuerError, TestIssuer};
use super::profile::ChipProfile;
use crate::card::apdu::{Command, Response, SHORT_MAX_NE};
use crate::card::emrtd::bac::{AccessKeys, ChipBac};
use crate::card::emrtd::lds::{self, Com, EfId, FaceImage, ImageFormat};
use crate::card::emrtd::reader::EMRTD_AID;
use crate::card::emrtd::sm::SecureChannel;
use crate::card::emrtd::tlv;
use crate::card::hex;
use crate::card::status::StatusWord;
use crate::card::transport::{Transport, TransportError};

/// Historical bytes of the virtual chip's contactless pseudo-ATR.
const HISTORICAL_BYTES: [u8; 8] = *b"OKNOVMRT";

/// Builds a PC/SC part 3 pseudo-ATR (`3B 8n 80 01`, historical bytes, TCK).
pub fn contactless_atr(historical: &[u8]) -> Vec<u8> {
    let mut atr = vec![0x3B, 0x80 | (historical.len() as u8 & 0x0F), 0x80, 0x01];
    atr.extend_from_slice(historical);
    let tck = atr[1..].iter().fold(0u8, |acc, byte| acc ^ byte);
    atr.push(tck);
    atr
}

fn status(word: u16) -> Response {
    Response::new(vec![], StatusWord(word))
}

/// A virtual passport chip.
pub struct VirtualChip {
    profile: ChipProfile,
    files: BTreeMap<EfId, Vec<u8>>,
    access_keys: [[u8; 16]; 2],
    application_selected: bool,
    bac: Option<ChipBac>,
    channel: Option<SecureChannel>,
    selected: Option<EfId>,
    /// ATR presented instead of the contactless pseudo-ATR.
    atr: Option<Vec<u8>>,
}

impl VirtualChip {
    /// Builds the chip's files (EF.COM, DG1, DG2, EF.SOD signed by `issuer`).
    pub fn new(profile: ChipProfile, issuer: &TestIssuer) -> Result<Self, IssuerError> {
        let lines: Vec<&str> = profile.mrz_lines.iter().map(String::as_str).collect();
        let mrz = domain::mrz::Mrz::parse(&lines.join("\n"))
            .map_err(|err| IssuerError::from(err.to_string()))?;
        let input = mrz
            .bac_input()
            .map_err(|err| IssuerError::from(err.to_string()))?;
        let keys = AccessKeys::from_input(&input);

        let dg1 = lds::encode_dg1(&lines);
        let mut data_groups = vec![(1, dg1)];
        if profile.with_dg2 {
            let face = FaceImage {
                format: ImageFormat::Jpeg,
                width: profile.photo_width,
                height: profile.photo_height,
                data: profile.photo_jpeg.clone(),
            };
            data_groups.push((2, lds::encode_dg2(&face)));
        }
        let com = Com {
            lds_version: "0107".to_owned(),
            unicode_version: "040000".to_owned(),
            data_groups: data_groups.iter().map(|(number, _)| *number).collect(),
        };
        let sod = issuer.sign_sod(&data_groups)?;

        let mut files = BTreeMap::new();
        files.insert(EfId::Com, com.encode());
        files.insert(EfId::Sod, sod);
        for (number, bytes) in data_groups {
            files.insert(EfId::Dg(number), bytes);
        }
        Ok(VirtualChip {
            profile,
            files,
            access_keys: [keys.enc, keys.mac],
            application_selected: false,
            bac: None,
            channel: None,
            selected: None,
            atr: None,
        })
    }

    pub fn atr(&self) -> Vec<u8> {
        self.atr
            .clone()
            .unwrap_or_else(|| contactless_atr(&HISTORICAL_BYTES))
    }

    /// Presents another ATR, to imitate other cards in reader tests.
    pub fn set_atr(&mut self, atr: Vec<u8>) {
        self.atr = Some(atr);
    }

    /// Returns the chip's file, for tests that compare what was read.
    pub fn file(&self, file: EfId) -> Option<&[u8]> {
        self.files.get(&file).map(Vec::as_slice)
    }

    /// Replaces a file's bytes without re-signing EF.SOD, to imitate a
    /// tampered chip.
    pub fn replace_file(&mut self, file: EfId, bytes: Vec<u8>) {
        self.files.insert(file, bytes);
    }

    /// Forgets every session state, as a power cycle does.
    pub fn reset(&mut self) {
        self.application_selected = false;
        self.bac = None;
        self.channel = None;
        self.selected = None;
    }

    /// Answers one command APDU with a response APDU (data and SW1 SW2).
    pub fn process(&mut self, bytes: &[u8]) -> Vec<u8> {
        let response = match Command::parse(bytes) {
            Ok(command) => self.dispatch(&command),
            Err(_) => status(0x6700),
        };
        debug!(command = %hex::encode(&bytes[..bytes.len().min(4)]), status = %response.status, "virtual chip answered");
        response.to_bytes()
    }

    fn dispatch(&mut self, command: &Command) -> Response {
        if command.cla & 0x0C == 0x0C {
            return self.dispatch_protected(command);
        }
        match (command.ins, command.p1) {
            (0xA4, 0x04) => {
                if command.data == EMRTD_AID {
                    self.reset();
                    self.application_selected = true;
                    status(0x9000)
                } else {
                    status(0x6A82)
                }
            }
            (0x84, _) if self.application_selected => {
                let mut rnd_ic = [0u8; 8];
                let mut k_ic = [0u8; 16];
                OsRng.fill_bytes(&mut rnd_ic);
                OsRng.fill_bytes(&mut k_ic);
                let keys = AccessKeys {
                    enc: self.access_keys[0],
                    mac: self.access_keys[1],
                };
                let mut bac = ChipBac::new(keys, k_ic);
                let response = bac.challenge(rnd_ic);
                self.bac = Some(bac);
                response
            }
            (0x82, _) => match self.bac.as_mut() {
                Some(bac) => {
                    let (response, channel) = bac.external_authenticate(&command.data);
                    self.channel = channel;
                    self.bac = None;
                    response
                }
                None => status(0x6985),
            },
            // Files need BAC first.
            (0xA4, _) | (0xB0, _) => status(0x6982),
            _ => status(0x6D00),
        }
    }

    fn dispatch_protected(&mut self, command: &Command) -> Response {
        let Some(channel) = self.channel.as_mut() else {
            return status(0x6987);
        };
        let inner = match channel.unwrap_command(command) {
            Ok(inner) => inner,
            Err(_) => {
                // A broken MAC ends the session, as on real chips.
                self.channel = None;
                return status(0x6988);
            }
        };
        let outer_extended =
            command.ne.is_some_and(|ne| ne > SHORT_MAX_NE) || command.data.len() > 255;
        let response = self.answer_protected(&inner, outer_extended);
        match self.channel.as_mut() {
            Some(channel) => channel.wrap_response(&response),
            None => status(0x6988),
        }
    }

    fn answer_protected(&mut self, command: &Command, extended: bool) -> Response {
        match command.ins {
            0xA4 if command.p1 == 0x02 => {
                let file = match command.data.as_slice() {
                    [0x01, 0x1E] => EfId::Com,
                    [0x01, 0x1D] => EfId::Sod,
                    [0x01, number @ 1..=16] => EfId::Dg(*number),
                    _ => return status(0x6A82),
                };
                if self.files.contains_key(&file) {
                    self.selected = Some(file);
                    status(0x9000)
                } else {
                    status(0x6A82)
                }
            }
            0xB0 | 0xB1 => {
                if extended && !self.profile.extended_length {
                    return status(0x6700);
                }
                let Some(file) = self.selected.and_then(|file| self.files.get(&file)) else {
                    return status(0x6986);
                };
                // B0 carries the offset in P1 P2 (15 bits); B1 in DO'54' and
                // returns the data inside DO'53', whose header costs 4 bytes.
                let (offset, header) = if command.ins == 0xB0 {
                    if command.p1 & 0x80 != 0 {
                        return status(0x6A81);
                    }
                    (usize::from(u16::from_be_bytes([command.p1, command.p2])), 0)
                } else {
                    match tlv::expect(&command.data, 0x54) {
                        Ok(object) if !object.value.is_empty() && object.value.len() <= 4 => {
                            let offset = object
                                .value
                                .iter()
                                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
                            (offset, 4)
                        }
                        _ => return status(0x6A80),
                    }
                };
                if offset >= file.len() {
                    return status(0x6B00);
                }
                let cap = if extended {
                    self.profile.extended_reply_cap
                } else {
                    self.profile.short_reply_cap
                };
                let asked = command.ne.unwrap_or(SHORT_MAX_NE).saturating_sub(header);
                let end = (offset + asked.min(cap.saturating_sub(header))).min(file.len());
                let mut data = file[offset..end].to_vec();
                if command.ins == 0xB1 {
                    data = tlv::encode(0x53, &data);
                }
                // Reaching the end of the file before Ne bytes gives 6282.
                let word = if offset + asked > file.len() {
                    0x6282
                } else {
                    0x9000
                };
                Response::new(data, StatusWord(word))
            }
            _ => status(0x6D00),
        }
    }
}

impl Transport for VirtualChip {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.process(command))
    }
}

impl From<String> for IssuerError {
    fn from(detail: String) -> Self {
        IssuerError::new(detail)
    }
}
