//! The kiosk's chip reader over PC/SC: waits for a document on the
//! configured contactless reader, reads it with Basic Access Control and
//! secure messaging (DG1, DG2, EF.SOD), runs passive authentication and
//! hands the result to the session as a [`ChipResult`].
//!
//! Each read runs on its own thread so the screen stays live; the outcome
//! goes back through [`ChipReply`]. The protocol itself lives in
//! `hardware::card`; this module only chooses the reader, bounds the wait
//! and turns errors into the reasons a visitor reads. Logs carry the
//! reader's name and outcomes, never the document's data.

use std::time::{Duration, Instant};

use base64::Engine as _;
use domain::mrz::BacInput;
use domain::sync::ChipResult;
use hardware::card::emrtd::{passive, tlv};
use hardware::card::pcsc::{self, CardEvent, Monitor, PcscCard};
use hardware::card::{read_document, ChipDocument, ReadError, ReadOptions};

use crate::chip::{ChipKeys, ChipOutcome, ChipReader, ChipReply};

/// How long a read waits for a document on the reader by default.
pub const DEFAULT_CARD_WAIT: Duration = Duration::from_secs(30);

/// Reads chip passports on the PC/SC reader whose name contains a given
/// text (the `[reader] contactless` setting).
#[derive(Debug, Clone)]
pub struct PcscChipReader {
    reader: String,
    card_wait: Duration,
}

impl PcscChipReader {
    /// Creates a reader matched by `reader_name`, its full PC/SC name or a
    /// part of it, that waits [`DEFAULT_CARD_WAIT`] for a document.
    pub fn new(reader_name: impl Into<String>) -> Self {
        PcscChipReader {
            reader: reader_name.into(),
            card_wait: DEFAULT_CARD_WAIT,
        }
    }

    /// Sets how long a read waits for a document to be laid on the reader.
    pub fn with_card_wait(mut self, card_wait: Duration) -> Self {
        self.card_wait = card_wait;
        self
    }

    /// Returns the full name of the first reader pcscd lists that matches,
    /// or `None` when pcscd is down or no reader matches.
    pub fn find_reader(&self) -> Option<String> {
        let context = pcsc::establish().ok()?;
        let readers = pcsc::list_readers(&context).ok()?;
        readers
            .into_iter()
            .find(|name| name.contains(self.reader.as_str()))
    }

    /// Reads one document, blocking: waits for it, reads and checks it.
    pub fn read_blocking(&self, input: &BacInput) -> Result<ChipResult, ChipOutcome> {
        let Some(reader) = self.find_reader() else {
            tracing::warn!(wanted = %self.reader, "no matching PC/SC reader for the chip read");
            return Err(ChipOutcome::ReaderGone);
        };
        let context = pcsc::establish().map_err(|_| ChipOutcome::ReaderGone)?;
        self.wait_for_card(&reader)?;
        let mut card = PcscCard::connect(&context, &reader)
            .map_err(|err| outcome_of(&ReadError::from(err)))?;
        let started = Instant::now();
        let document = read_document(&mut card, input, ReadOptions::default()).map_err(|err| {
            tracing::info!(reader = %reader, cause = %err, "chip read failed");
            outcome_of(&err)
        })?;
        let result = chip_result(&document).ok_or_else(|| {
            tracing::warn!(reader = %reader, "chip read failed: DG1 contains no valid MRZ");
            ChipOutcome::Failed
        })?;
        tracing::info!(
            reader = %reader,
            millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            passive_auth = %result.passive_auth,
            photo = result.photo_base64.is_some(),
            "chip read"
        );
        Ok(result)
    }

    /// Waits for a document on `reader` within the configured time.
    fn wait_for_card(&self, reader: &str) -> Result<(), ChipOutcome> {
        let monitor = Monitor::start().map_err(|_| ChipOutcome::ReaderGone)?;
        let deadline = Instant::now() + self.card_wait;
        let outcome = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match monitor.events().recv_timeout(left) {
                Err(_) => break Err(ChipOutcome::NoDocument),
                Ok(CardEvent::CardInserted { reader: name, .. }) if name == reader => break Ok(()),
                Ok(CardEvent::ReaderRemoved { reader: name }) if name == reader => {
                    break Err(ChipOutcome::ReaderGone)
                }
                Ok(CardEvent::ServiceStopped) => break Err(ChipOutcome::ReaderGone),
                Ok(_) => {}
            }
        };
        monitor.stop();
        if outcome == Err(ChipOutcome::NoDocument) {
            tracing::info!(reader = %reader, seconds = self.card_wait.as_secs(), "timed out waiting for a document on the reader");
        }
        outcome
    }
}

impl ChipReader for PcscChipReader {
    fn available(&self) -> bool {
        self.find_reader().is_some()
    }

    fn read(&self, keys: ChipKeys, reply: ChipReply) {
        let Some(input) = keys.bac_input() else {
            reply.send(ChipOutcome::AccessDenied);
            return;
        };
        let reader = self.clone();
        let spawned = std::thread::Builder::new()
            .name("chip-read".to_owned())
            .spawn(move || match reader.read_blocking(&input) {
                Ok(result) => reply.send_read(result),
                Err(outcome) => reply.send(outcome),
            });
        if let Err(err) = spawned {
            // The reply moved into the closure that never ran; the screen
            // stays on «Читаем чип…» until the visitor goes back or idles.
            tracing::error!(cause = %err, "failed to start the chip read thread");
        }
    }
}

/// Maps a read error to the reason the visitor reads.
fn outcome_of(err: &ReadError) -> ChipOutcome {
    match err {
        ReadError::AccessDenied(_) => ChipOutcome::AccessDenied,
        ReadError::CardRemoved => ChipOutcome::CardRemoved,
        ReadError::ReaderUnavailable => ChipOutcome::ReaderGone,
        ReadError::NotTravelDocument(_) => ChipOutcome::NoDocument,
        _ => ChipOutcome::Failed,
    }
}

/// Builds the request's chip data: the MRZ lines from DG1, the passive
/// authentication verdict and the face image as it was stored.
fn chip_result(document: &ChipDocument) -> Option<ChipResult> {
    let dg1 = document
        .data_groups
        .iter()
        .find_map(|(number, bytes)| (*number == 1).then_some(bytes))?;
    let mrz = mrz_lines(dg1)?;
    // FIXME: no CSCA directory is configured for kiosks yet, so a valid
    // signature reports `not_checked`; add `[reader] csca_dir` when the
    // center receives its CSCA list.
    let report = passive::authenticate(&document.sod, &document.data_groups, None);
    let passive_auth = match report.verdict() {
        passive::Verdict::Passed => "passed",
        passive::Verdict::SignatureValidIssuerNotChecked => "not_checked",
        passive::Verdict::Failed => "failed",
    };
    Some(ChipResult {
        mrz,
        passive_auth: passive_auth.to_owned(),
        photo_base64: document
            .face
            .as_ref()
            .map(|face| base64::engine::general_purpose::STANDARD.encode(&face.data)),
        // `ChipReply::send_read` adds the values the visitor typed.
        typed_document_number: None,
        typed_expiry_date: None,
    })
}

/// Returns DG1's MRZ as its lines joined with `\n`: two of 44 characters
/// (passport) or three of 30 (ID card).
fn mrz_lines(dg1: &[u8]) -> Option<String> {
    let outer = tlv::expect(dg1, 0x61).ok()?;
    let zone = tlv::find(outer.value, 0x5F1F).ok()??;
    let text = std::str::from_utf8(zone.value).ok()?;
    let width = match text.len() {
        88 => 44,
        90 => 30,
        _ => return None,
    };
    let lines: Vec<&str> = (0..text.len() / width)
        .map(|line| &text[line * width..(line + 1) * width])
        .collect();
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hardware::card::emrtd::lds::encode_dg1;

    #[test]
    fn splits_a_passport_zone_into_two_lines() {
        let first = format!("{:<<44}", "P<UTOERIKSSON<<ANNA<MARIA");
        let second = "L898902C36UTO7408122F1204159ZE184226B<<<<<10".to_owned();
        let dg1 = encode_dg1(&[&first, &second]);
        assert_eq!(mrz_lines(&dg1), Some(format!("{first}\n{second}")));
    }

    #[test]
    fn refuses_a_zone_of_odd_length() {
        let dg1 = encode_dg1(&["P<UTO"]);
        assert_eq!(mrz_lines(&dg1), None);
    }

    #[test]
    fn maps_read_errors_to_reasons() {
        assert_eq!(
            outcome_of(&ReadError::CardRemoved),
            ChipOutcome::CardRemoved
        );
        assert_eq!(
            outcome_of(&ReadError::ReaderUnavailable),
            ChipOutcome::ReaderGone
        );
        assert_eq!(
            outcome_of(&ReadError::Malformed("x".to_owned())),
            ChipOutcome::Failed
        );
    }
}
