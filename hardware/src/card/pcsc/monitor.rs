//! The reader and card monitor: one thread blocked in
//! `SCardGetStatusChange` over every reader plus the `\\?PnP?\Notification`
//! pseudo-reader, so reader hot-plug wakes it too. Events go out on a
//! channel; [`Monitor::stop`] (or dropping the monitor) sets a flag, wakes
//! the thread with `SCardCancel` and joins it.
//!
//! The wait has a one-second timeout: `SCardCancel` only wakes a call
//! already in progress, so a stop that lands between the flag check and
//! the call is noticed at the next timeout instead of never.

use std::collections::HashMap;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;

use ::pcsc::{Context, ReaderState, State, PNP_NOTIFICATION};
use tracing::{debug, info, warn};

use super::PcscError;

const WAIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// A reader or card change seen by the monitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardEvent {
    ReaderAdded {
        reader: String,
    },
    ReaderRemoved {
        reader: String,
    },
    CardInserted {
        reader: String,
        atr: Vec<u8>,
    },
    CardRemoved {
        reader: String,
    },
    /// A card is in the field but does not answer reset (`SCARD_STATE_MUTE`):
    /// badly placed, damaged, or not a smart card.
    // NOTE: not produced in tests: vpcd shows no card at all when the
    // virtual chip sends no ATR, so this path has only run on paper.
    CardMute {
        reader: String,
    },
    /// pcscd stopped; the monitor thread has ended.
    ServiceStopped,
}

impl CardEvent {
    /// Describes the event for an operator or technician, in Russian.
    pub fn describe_ru(&self) -> String {
        match self {
            CardEvent::ReaderAdded { reader } => format!("Подключён считыватель «{reader}»."),
            CardEvent::ReaderRemoved { reader } => {
                format!("Считыватель «{reader}» отключён. Проверьте кабель считывателя.")
            }
            CardEvent::CardInserted { reader, .. } => {
                format!("На считыватель «{reader}» положили карту.")
            }
            CardEvent::CardRemoved { reader } => format!("Карту убрали со считывателя «{reader}»."),
            CardEvent::CardMute { reader } => format!(
                "Карта на считывателе «{reader}» не отвечает. Положите её ровно по центру; если не поможет, карта не поддерживается."
            ),
            CardEvent::ServiceStopped => {
                "Служба смарт-карт (pcscd) остановилась. Перезапустите её или перезагрузите киоск."
                    .to_owned()
            }
        }
    }
}

/// A running monitor.
pub struct Monitor {
    context: Context,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    events: Receiver<CardEvent>,
}

impl Monitor {
    /// Connects to pcscd and starts the monitor thread. The first events
    /// report the readers present and the cards already in them.
    pub fn start() -> Result<Self, PcscError> {
        let context = super::establish()?;
        let stop = Arc::new(AtomicBool::new(false));
        let (sender, events) = mpsc::channel();
        let thread = {
            let context = context.clone();
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("card-monitor".to_owned())
                .spawn(move || watch(&context, &stop, &sender))
                .map_err(|err| {
                    PcscError::Other(format!("failed to start the monitor thread: {err}"))
                })?
        };
        Ok(Monitor {
            context,
            stop,
            thread: Some(thread),
            events,
        })
    }

    pub fn events(&self) -> &Receiver<CardEvent> {
        &self.events
    }

    /// Stops the thread: sets the flag, cancels the blocking wait and joins.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Err(err) = self.context.cancel() {
            debug!(cause = %err, "SCardCancel failed; the monitor thread may have ended already");
        }
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                warn!("card monitor thread panicked");
            }
        }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn is_gone(state: State) -> bool {
    state.intersects(State::UNKNOWN | State::IGNORE)
}

/// Runs the monitor loop. It ends on stop, when pcscd goes away, or when
/// the receiving side of the channel is dropped.
fn watch(context: &Context, stop: &AtomicBool, events: &Sender<CardEvent>) {
    let mut states = vec![ReaderState::new(PNP_NOTIFICATION(), State::UNAWARE)];
    let mut present: HashMap<String, bool> = HashMap::new();
    let send = |event: CardEvent| {
        debug!(?event, "card event");
        events.send(event).is_ok()
    };

    while !stop.load(Ordering::SeqCst) {
        // Drop readers pcscd no longer reports, then add the new ones.
        let mut listening = true;
        states.retain(|state| {
            let name = state.name().to_string_lossy().into_owned();
            if state.name() == PNP_NOTIFICATION() || !is_gone(state.event_state()) {
                return true;
            }
            if present.remove(&name) == Some(true) {
                listening &= send(CardEvent::CardRemoved {
                    reader: name.clone(),
                });
            }
            listening &= send(CardEvent::ReaderRemoved { reader: name });
            false
        });
        let readers = match super::list_readers(context) {
            Ok(readers) => readers,
            Err(PcscError::NoService) => break,
            Err(err) => {
                warn!(cause = %err, "failed to list readers");
                Vec::new()
            }
        };
        for reader in readers {
            if states
                .iter()
                .any(|state| state.name().to_string_lossy() == reader)
            {
                continue;
            }
            let Ok(name) = CString::new(reader.clone()) else {
                continue;
            };
            states.push(ReaderState::new(name, State::UNAWARE));
            present.insert(reader.clone(), false);
            listening &= send(CardEvent::ReaderAdded { reader });
        }
        if !listening {
            return;
        }

        match context.get_status_change(WAIT_TIMEOUT, &mut states) {
            Ok(()) => {}
            Err(::pcsc::Error::Cancelled) | Err(::pcsc::Error::Timeout) => continue,
            Err(::pcsc::Error::NoService)
            | Err(::pcsc::Error::ServiceStopped)
            | Err(::pcsc::Error::InvalidHandle) => break,
            Err(err) => {
                warn!(cause = %err, "SCardGetStatusChange failed; the monitor stops");
                break;
            }
        }

        for state in states.iter_mut() {
            let name = state.name().to_string_lossy().into_owned();
            let event_state = state.event_state();
            if state.name() != PNP_NOTIFICATION() && !is_gone(event_state) {
                // A mute card counts as present, so its removal is reported too.
                let now_present = event_state.contains(State::PRESENT);
                let was_present = present.insert(name.clone(), now_present).unwrap_or(false);
                let sent = match (was_present, now_present) {
                    (false, true) if event_state.contains(State::MUTE) => {
                        send(CardEvent::CardMute { reader: name })
                    }
                    (false, true) => send(CardEvent::CardInserted {
                        reader: name,
                        atr: state.atr().to_vec(),
                    }),
                    (true, false) => send(CardEvent::CardRemoved { reader: name }),
                    _ => true,
                };
                if !sent {
                    return;
                }
            }
            state.sync_current_state();
        }
    }

    if !stop.load(Ordering::SeqCst) {
        info!("pcscd went away; reporting its readers as removed");
        for (reader, card) in present {
            if card {
                send(CardEvent::CardRemoved {
                    reader: reader.clone(),
                });
            }
            send(CardEvent::ReaderRemoved { reader });
        }
        send(CardEvent::ServiceStopped);
    }
}
