//! Noticing a token's insertion and removal, on the watcher thread.
//!
//! With `[token] reader` set, the PC/SC monitor reports cards in that
//! contact reader, and a card counts as a token when its ATR is a known
//! Rutoken or JaCarta one. Without it, the module's slot list is polled
//! every [`SLOT_POLL`]; this is also how tests see a SoftHSM2 token, which
//! has no reader and no ATR.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use domain::qualified_certificate::TrustDirectory;
use hardware::card::atr::{Atr, CardKind};
use hardware::card::pcsc::monitor::{CardEvent, Monitor};
use hardware::token::{TokenError, TokenModule, TokenSlot};
use uuid::Uuid;

use super::{check, Shared};
use crate::token::{TokenEvent, TokenReply};

/// How often the slot list is read when no reader is configured, and how
/// often the watcher looks at its stop flag.
const SLOT_POLL: Duration = Duration::from_millis(500);

pub(super) fn run(shared: &Shared, attempt: Uuid, stop: &AtomicBool, reply: &TokenReply) {
    let module = match shared.module() {
        Ok(module) => module,
        Err(err) => {
            tracing::error!(module = %shared.config.module.display(), cause = %err, "PKCS#11 module not loaded");
            reply.send(attempt, TokenEvent::Failed(err));
            return;
        }
    };
    match shared.config.reader.clone() {
        Some(reader) => watch_reader(shared, &module, &reader, attempt, stop, reply),
        None => watch_slots(shared, &module, attempt, stop, reply),
    }
    tracing::debug!(%attempt, "token watcher ended");
}

/// Polls the module's slots for an initialised token.
fn watch_slots(
    shared: &Shared,
    module: &TokenModule,
    attempt: Uuid,
    stop: &AtomicBool,
    reply: &TokenReply,
) {
    let mut present: Option<u64> = None;
    while !stop.load(Ordering::SeqCst) {
        let slot = match module.tokens() {
            Ok(tokens) => tokens.first().map(|token| token.slot_id),
            Err(err) => {
                tracing::warn!(cause = %err, "token slots not listed");
                None
            }
        };
        match (present, slot) {
            (None, Some(slot)) => read_token(shared, module, slot, attempt, reply),
            (Some(_), None) => {
                tracing::info!(%attempt, "token removed");
                reply.send(attempt, TokenEvent::Removed);
            }
            _ => {}
        }
        present = slot;
        std::thread::sleep(SLOT_POLL);
    }
}

/// Follows the PC/SC monitor's events for the configured contact reader.
fn watch_reader(
    shared: &Shared,
    module: &TokenModule,
    reader: &str,
    attempt: Uuid,
    stop: &AtomicBool,
    reply: &TokenReply,
) {
    let monitor = match Monitor::start() {
        Ok(monitor) => monitor,
        Err(err) => {
            tracing::error!(reader, cause = %err, "PC/SC monitor not started for the token reader");
            reply.send(attempt, TokenEvent::Failed(pcsc_failure(err.to_string())));
            return;
        }
    };
    while !stop.load(Ordering::SeqCst) {
        let event = match monitor.events().recv_timeout(SLOT_POLL) {
            Ok(event) => event,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        match event {
            CardEvent::CardInserted { reader: name, atr } if name.contains(reader) => {
                if !is_token(&atr) {
                    tracing::info!(reader = %name, "a card that is not a known token was inserted");
                    reply.send(attempt, TokenEvent::UnknownCard);
                    continue;
                }
                match module.tokens() {
                    Ok(tokens) => match token_in_reader(&tokens, &name) {
                        Some(slot_id) => read_token(shared, module, slot_id, attempt, reply),
                        None => {
                            tracing::warn!(reader = %name, tokens = tokens.len(), "token ATR seen, but no module slot names this reader");
                            reply.send(
                                attempt,
                                TokenEvent::Failed(TokenError::TokenAbsent { slot: 0 }),
                            );
                        }
                    },
                    Err(err) => reply.send(attempt, TokenEvent::Failed(err)),
                }
            }
            CardEvent::CardRemoved { reader: name } if name.contains(reader) => {
                tracing::info!(%attempt, "token removed");
                reply.send(attempt, TokenEvent::Removed);
            }
            CardEvent::ServiceStopped => {
                reply.send(
                    attempt,
                    TokenEvent::Failed(pcsc_failure("pcscd stopped".to_owned())),
                );
                break;
            }
            _ => {}
        }
    }
    monitor.stop();
}

/// Picks the slot of the token in the PC/SC reader `reader`: the slot whose
/// description names the reader, as PC/SC-based modules (OpenSC, Rutoken,
/// JaCarta) write it. When no slot names it, as with SoftHSM2 in the tests,
/// a lone token is taken, because no other token can be meant. With several
/// unnamed tokens there is no telling which one is in the reader.
fn token_in_reader(tokens: &[TokenSlot], reader: &str) -> Option<u64> {
    let named = tokens.iter().find(|token| {
        !token.slot_description.is_empty()
            && (reader.contains(&token.slot_description) || token.slot_description.contains(reader))
    });
    match (named, tokens) {
        (Some(token), _) => Some(token.slot_id),
        (None, [only]) => Some(only.slot_id),
        (None, _) => None,
    }
}

/// Tells whether an ATR is one of a known signature token.
fn is_token(atr: &[u8]) -> bool {
    match Atr::parse(atr) {
        Ok(atr) => matches!(
            atr.card_kind(),
            CardKind::Rutoken { .. } | CardKind::JaCarta
        ),
        Err(_) => false,
    }
}

fn pcsc_failure(detail: String) -> TokenError {
    TokenError::Pkcs11 {
        function: "PC/SC".to_owned(),
        rv: detail,
    }
}

/// Lists and checks the certificates on the token in `slot` and reports
/// them, or the failure.
fn read_token(shared: &Shared, module: &TokenModule, slot: u64, attempt: Uuid, reply: &TokenReply) {
    let certificates = match module.certificates(slot) {
        Ok(certificates) => certificates,
        Err(err) => {
            tracing::warn!(slot, cause = %err, "certificates not read from the token");
            reply.send(attempt, TokenEvent::Failed(err));
            return;
        }
    };
    let trust = trust_directory(shared);
    let now = shared.clock.now();
    let certificates = check::qualified(certificates);
    let choices = certificates
        .iter()
        .map(|certificate| check::describe(certificate, trust.as_ref(), now))
        .collect();
    tracing::info!(%attempt, slot, count = certificates.len(), "token inserted and read");
    shared.set_certificates(attempt, certificates);
    reply.send(attempt, TokenEvent::Inserted(choices));
}

/// Builds the trust directory from the station's copy, or returns `None`
/// when there is no usable copy (the failure is logged).
fn trust_directory(shared: &Shared) -> Option<TrustDirectory> {
    let copy = match shared.store.trust() {
        Ok(Some(copy)) => copy,
        Ok(None) => {
            tracing::warn!(
                "no trust directory copy yet; only the certificate rules run on the kiosk"
            );
            return None;
        }
        Err(err) => {
            tracing::error!(cause = %err, "trust directory copy not read");
            return None;
        }
    };
    match TrustDirectory::from_der(&copy.anchors, &copy.intermediates, &copy.crls) {
        Ok(trust) => Some(trust),
        Err(err) => {
            tracing::error!(version = copy.version, cause = %err, "stored trust directory copy is unusable");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(hex: &str) -> Vec<u8> {
        hex.split_whitespace()
            .map(|pair| u8::from_str_radix(pair, 16).expect("hex byte"))
            .collect()
    }

    #[test]
    fn rutoken_atr_is_token() {
        assert!(is_token(&bytes(
            "3B 8C 80 01 50 5C 4B 71 A1 52 74 53 43 77 81 83 D9"
        )));
    }

    #[test]
    fn jacarta_atr_is_token() {
        assert!(is_token(&bytes(
            "3B DC 18 FF 81 91 FE 1F C3 80 73 C8 21 13 66 01 06 11 59 00 01 28"
        )));
    }

    #[test]
    fn contactless_chip_atr_is_not_token() {
        // A PC/SC part 3 pseudo-ATR of an ISO 14443-4 chip, as a passport
        // presents on a contactless reader.
        assert!(!is_token(&bytes("3B 80 80 01 01")));
    }

    #[test]
    fn invalid_atr_is_not_token() {
        assert!(!is_token(&[0x3B]));
    }

    fn slot(slot_id: u64, description: &str) -> TokenSlot {
        TokenSlot {
            slot_id,
            slot_description: description.to_owned(),
            label: "token".to_owned(),
            manufacturer: String::new(),
            model: String::new(),
            serial_number: String::new(),
            pin_flags: hardware::token::PinFlags::default(),
            pin_length: (4, 8),
        }
    }

    #[test]
    fn slot_naming_the_reader_is_chosen() {
        let tokens = [
            slot(1, "Aktiv Rutoken ECP 00 00"),
            slot(2, "Aktiv Rutoken ECP 01 00"),
        ];
        assert_eq!(token_in_reader(&tokens, "Aktiv Rutoken ECP 01 00"), Some(2));
    }

    #[test]
    fn lone_unnamed_token_is_chosen() {
        let tokens = [slot(7, "SoftHSM slot ID 0x7")];
        assert_eq!(token_in_reader(&tokens, "Virtual PCD 00 00"), Some(7));
    }

    #[test]
    fn several_unnamed_tokens_choose_none() {
        let tokens = [
            slot(7, "SoftHSM slot ID 0x7"),
            slot(8, "SoftHSM slot ID 0x8"),
        ];
        assert_eq!(token_in_reader(&tokens, "Virtual PCD 00 00"), None);
    }
}
