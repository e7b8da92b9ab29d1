//! Reading an eMRTD over any [`Transport`]: SELECT of the ICAO application,
//! BAC, then SELECT and READ BINARY of each file under secure messaging.
//!
//! READ BINARY asks for as much as the options allow: with extended
//! length one command can return a whole file; without it each protected
//! reply carries at most 231 bytes. Either way the reader accepts fewer
//! bytes than it asked for and continues from where the chip stopped, as
//! real chips cap replies below what the reader asks. A chip that answers
//! `6700` to an extended read makes the session fall back to short reads.

use domain::mrz::{BacInput, Mrz};
use tracing::{debug, info_span};

use super::bac::{self, AccessKeys, BacError, ReaderNonces};
use super::error::ReadError;
use super::lds::{self, Com, EfId, FaceImage};
use super::sm::{SecureChannel, MAX_SHORT_PROTECTED_READ};
use super::tlv;
use crate::card::apdu::{Command, Response};
use crate::card::status::StatusError;
use crate::card::transport::{exchange, Transport};

/// The ICAO eMRTD application identifier (LDS1).
pub const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// Highest offset plain READ BINARY (`B0`) can address in P1 P2; past it
/// the odd READ BINARY (`B1`) carries the offset in DO'54'.
const MAX_B0_OFFSET: usize = 0x7FFF;
/// Largest file the reader accepts. LDS files are far smaller (a DG2 is
/// typically 15 to 40 KB), so a larger declared length means a broken chip.
const MAX_FILE_LENGTH: usize = 1 << 20;
/// Bytes of the DO'53' header around `B1` response data (tag and a length
/// of up to three bytes).
const DO53_HEADER: usize = 4;

/// How to read files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Ask for extended-length READ BINARY replies.
    pub extended_length: bool,
    /// Bytes asked per extended READ BINARY.
    pub extended_read: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        // 0x7FFF keeps the protected reply below 32 KiB, which chips with
        // extended length buffers generally accept.
        ReadOptions {
            extended_length: true,
            extended_read: 0x7FFF,
        }
    }
}

/// An authenticated session with a chip.
pub struct Session<'t> {
    transport: &'t mut dyn Transport,
    channel: SecureChannel,
    options: ReadOptions,
}

impl<'t> Session<'t> {
    /// Selects the eMRTD application and runs BAC.
    pub fn open(
        transport: &'t mut dyn Transport,
        input: &BacInput,
        options: ReadOptions,
    ) -> Result<Self, ReadError> {
        let select = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(EMRTD_AID);
        let response = exchange(transport, &select)?;
        if let Err(status) = response.status.check() {
            return Err(ReadError::NotTravelDocument(status));
        }
        let keys = AccessKeys::from_input(input);
        let channel = bac::authenticate(transport, &keys, &ReaderNonces::random()).map_err(
            |err| match err {
                BacError::Transport(err) => ReadError::from(err),
                BacError::Challenge(status) => ReadError::NotTravelDocument(status),
                other => ReadError::AccessDenied(other),
            },
        )?;
        Ok(Session {
            transport,
            channel,
            options,
        })
    }

    fn send(&mut self, command: &Command) -> Result<Response, ReadError> {
        let protected = self.channel.protect(command);
        let response = exchange(self.transport, &protected)?;
        Ok(self.channel.unprotect(&response)?)
    }

    /// Reads a whole file; a missing file gives [`ReadError::FileAbsent`].
    pub fn read_file(&mut self, file: EfId) -> Result<Vec<u8>, ReadError> {
        let span = info_span!("read_file", file = %file.name());
        let _entered = span.enter();

        let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(file.file_id());
        let response = self.send(&select)?;
        match response.status.check() {
            Ok(()) => {}
            Err(StatusError::FileNotFound) => return Err(ReadError::FileAbsent(file)),
            Err(status) => return Err(ReadError::Card(status)),
        }

        let mut data = self.read_chunk(0, self.chunk_size())?;
        let (_, length, header) = tlv::decode_header(&data)
            .map_err(|err| ReadError::Malformed(format!("{}: {err}", file.name())))?;
        let total = header + length;
        if total > MAX_FILE_LENGTH {
            return Err(ReadError::FileTooLarge {
                file,
                length: total,
            });
        }
        while data.len() < total {
            let offset = data.len();
            let chunk = self.read_chunk(offset, (total - offset).min(self.chunk_size()))?;
            if chunk.is_empty() {
                return Err(ReadError::Malformed(format!(
                    "{}: chip returned no data at offset {offset} of {total}",
                    file.name()
                )));
            }
            data.extend(chunk);
        }
        data.truncate(total);
        debug!(bytes = total, "file read");
        Ok(data)
    }

    fn chunk_size(&self) -> usize {
        if self.options.extended_length {
            self.options.extended_read
        } else {
            MAX_SHORT_PROTECTED_READ
        }
    }

    fn read_chunk(&mut self, offset: usize, length: usize) -> Result<Vec<u8>, ReadError> {
        let odd = offset > MAX_B0_OFFSET;
        let read = if odd {
            // READ BINARY B1: offset in DO'54', data back inside DO'53'.
            let bytes = (offset as u32).to_be_bytes();
            let first = bytes.iter().position(|&b| b != 0).unwrap_or(3);
            let ne = if self.options.extended_length {
                length + DO53_HEADER
            } else {
                MAX_SHORT_PROTECTED_READ
            };
            Command::new(0x00, 0xB1, 0x00, 0x00)
                .with_data(tlv::encode(0x54, &bytes[first..]))
                .with_ne(ne)
        } else {
            let [p1, p2] = (offset as u16).to_be_bytes();
            Command::new(0x00, 0xB0, p1, p2).with_ne(length)
        };
        let response = self.send(&read)?;
        let data = |response: Response| -> Result<Vec<u8>, ReadError> {
            if !odd {
                return Ok(response.data);
            }
            let inner = tlv::expect(&response.data, 0x53)
                .map_err(|err| ReadError::Malformed(format!("READ BINARY B1 response: {err}")))?;
            Ok(inner.value.to_vec())
        };
        match response.status.check() {
            Ok(()) => data(response),
            // End of file before Ne bytes: the data returned is still good.
            Err(StatusError::EndOfFile) => data(response),
            Err(StatusError::WrongLength) if self.options.extended_length => {
                debug!(
                    "chip rejected an extended READ BINARY with 6700; falling back to short reads"
                );
                self.options.extended_length = false;
                self.read_chunk(offset, length.min(MAX_SHORT_PROTECTED_READ))
            }
            Err(status) => Err(ReadError::Card(status)),
        }
    }
}

/// Everything read from a chip: raw files for passive authentication and
/// their parsed forms.
#[derive(Clone)]
pub struct ChipDocument {
    pub com: Com,
    pub mrz: Mrz,
    /// `None` when the chip has no DG2.
    pub face: Option<FaceImage>,
    /// Raw data groups by number, as hashed in EF.SOD.
    pub data_groups: Vec<(u8, Vec<u8>)>,
    pub sod: Vec<u8>,
}

impl std::fmt::Debug for ChipDocument {
    // The MRZ and the face are personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChipDocument")
            .field("data_groups", &self.com.data_groups)
            .finish_non_exhaustive()
    }
}

/// Reads EF.COM, DG1, DG2 (when listed) and EF.SOD.
pub fn read_document(
    transport: &mut dyn Transport,
    input: &BacInput,
    options: ReadOptions,
) -> Result<ChipDocument, ReadError> {
    let mut session = Session::open(transport, input, options)?;
    let com_bytes = session.read_file(EfId::Com)?;
    let com = Com::parse(&com_bytes)?;
    let dg1 = session.read_file(EfId::Dg(1))?;
    let mrz = lds::parse_dg1(&dg1)?;
    let mut data_groups = vec![(1, dg1)];
    let face = if com.data_groups.contains(&2) {
        let dg2 = session.read_file(EfId::Dg(2))?;
        let face = lds::parse_dg2(&dg2)?;
        data_groups.push((2, dg2));
        Some(face)
    } else {
        None
    };
    let sod = session.read_file(EfId::Sod)?;
    Ok(ChipDocument {
        com,
        mrz,
        face,
        data_groups,
        sod,
    })
}
