//! Real-time status (`DLE EOT n`) replies mapped to typed printer states,
//! each with a Russian message for the person at the device.
//!
//! Four queries make up a reading: `DLE EOT 1` (printer), `2` (offline
//! cause), `3` (error cause) and `4` (roll paper sensor). Every reply byte
//! has bits 1 and 4 set and bits 0 and 7 clear; a reply that breaks this is
//! kept raw as [`PrinterState::InvalidReply`]. Sending the queries is the
//! transport's work.

use std::time::Duration;

/// `DLE EOT`: the real-time status request prefix.
pub const DLE_EOT: [u8; 2] = [0x10, 0x04];

/// The four status queries in the order they are sent.
pub const QUERIES: [u8; 4] = [1, 2, 3, 4];

/// A reply byte with every condition clear.
pub const CLEAR: u8 = 0x12;

const FIXED_MASK: u8 = 0x93;

/// Counts the `DLE EOT n` sequences inside `job`. Printers execute
/// real-time commands wherever the bytes appear, raster data included, so
/// each one makes the printer send a reply the host did not ask for.
pub fn embedded_queries(job: &[u8]) -> usize {
    job.windows(3)
        .filter(|window| window[..2] == DLE_EOT && QUERIES.contains(&window[2]))
        .count()
}

/// The four reply bytes of one reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusBytes {
    /// `DLE EOT 1`: bit 3 offline.
    pub printer: u8,
    /// `DLE EOT 2`: bit 2 cover open, bit 3 feed button, bit 5 paper end
    /// stop, bit 6 error.
    pub offline_cause: u8,
    /// `DLE EOT 3`: bit 3 autocutter error, bit 5 unrecoverable error,
    /// bit 6 automatically recoverable error.
    pub error_cause: u8,
    /// `DLE EOT 4`: bits 2–3 paper near end, bits 5–6 paper end.
    pub paper: u8,
}

/// Printer state from a status reading, listed from most to least urgent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterState {
    Ready,
    /// Paper runs low; jobs still print.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    CutterError,
    /// An error that needs the printer switched off and on.
    UnrecoverableError,
    /// An error the printer clears itself, such as an overheated head.
    RecoverableError,
    /// Offline for another reason, such as the feed button held down.
    Offline {
        raw: StatusBytes,
    },
    /// A reply whose fixed bits are wrong: not an ESC/POS status byte.
    InvalidReply {
        query: u8,
        byte: u8,
    },
    /// No reply to `DLE EOT query` within `timeout`.
    NoAnswer {
        query: u8,
        timeout: Duration,
    },
}

impl PrinterState {
    /// Maps a reading to a state.
    pub fn from_bytes(bytes: StatusBytes) -> PrinterState {
        let replies = [
            (1, bytes.printer),
            (2, bytes.offline_cause),
            (3, bytes.error_cause),
            (4, bytes.paper),
        ];
        for (query, byte) in replies {
            if byte & FIXED_MASK != CLEAR {
                return PrinterState::InvalidReply { query, byte };
            }
        }

        if bytes.offline_cause & 0x04 != 0 {
            return PrinterState::CoverOpen;
        }
        if bytes.paper & 0x60 != 0 || bytes.offline_cause & 0x20 != 0 {
            return PrinterState::PaperOut;
        }
        if bytes.error_cause & 0x08 != 0 {
            return PrinterState::CutterError;
        }
        if bytes.error_cause & 0x20 != 0 {
            return PrinterState::UnrecoverableError;
        }
        if bytes.error_cause & 0x40 != 0 {
            return PrinterState::RecoverableError;
        }
        if bytes.printer & 0x08 != 0 || bytes.offline_cause & 0x48 != 0 {
            return PrinterState::Offline { raw: bytes };
        }
        if bytes.paper & 0x0C != 0 {
            return PrinterState::PaperNearEnd;
        }
        PrinterState::Ready
    }

    /// Returns whether a job may be sent, and whether it counts as printed
    /// when this state is reported after it.
    pub fn is_good(&self) -> bool {
        matches!(self, PrinterState::Ready | PrinterState::PaperNearEnd)
    }

    /// Returns what the person at the device should do, in Russian.
    pub fn message_ru(&self) -> String {
        match self {
            PrinterState::Ready => "Принтер готов к печати.".to_owned(),
            PrinterState::PaperNearEnd => {
                "Бумага заканчивается: подготовьте новый рулон.".to_owned()
            }
            PrinterState::PaperOut => {
                "Закончилась бумага: вставьте новый рулон и закройте крышку.".to_owned()
            }
            PrinterState::CoverOpen => "Открыта крышка принтера: закройте её до щелчка.".to_owned(),
            PrinterState::CutterError => {
                "Ошибка отрезчика: откройте крышку, уберите застрявшую бумагу и закройте крышку."
                    .to_owned()
            }
            PrinterState::UnrecoverableError => {
                "Неисправность принтера: выключите и включите его; если не помогло, вызовите техника."
                    .to_owned()
            }
            PrinterState::RecoverableError => {
                "Принтер перегрелся или временно неисправен: подождите минуту, он восстановится сам."
                    .to_owned()
            }
            PrinterState::Offline { .. } => {
                "Принтер не в сети: отпустите кнопку подачи бумаги и проверьте индикаторы.".to_owned()
            }
            PrinterState::InvalidReply { query, byte } => format!(
                "Принтер прислал непонятный ответ (DLE EOT {query}: 0x{byte:02X}): проверьте профиль принтера и вызовите техника."
            ),
            PrinterState::NoAnswer { .. } => {
                "Принтер не отвечает: проверьте питание и кабель, затем выключите и включите принтер."
                    .to_owned()
            }
        }
    }
}

impl std::fmt::Display for PrinterState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrinterState::Ready => f.write_str("ready"),
            PrinterState::PaperNearEnd => f.write_str("paper near end"),
            PrinterState::PaperOut => f.write_str("paper out"),
            PrinterState::CoverOpen => f.write_str("cover open"),
            PrinterState::CutterError => f.write_str("autocutter error"),
            PrinterState::UnrecoverableError => f.write_str("unrecoverable error"),
            PrinterState::RecoverableError => f.write_str("automatically recoverable error"),
            PrinterState::Offline { raw } => write!(
                f,
                "offline (DLE EOT 1: 0x{:02X}, DLE EOT 2: 0x{:02X})",
                raw.printer, raw.offline_cause
            ),
            PrinterState::InvalidReply { query, byte } => {
                write!(f, "invalid reply 0x{byte:02X} to DLE EOT {query}")
            }
            PrinterState::NoAnswer { query, timeout } => {
                write!(
                    f,
                    "no reply to DLE EOT {query} within {} ms",
                    timeout.as_millis()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(printer: u8, offline_cause: u8, error_cause: u8, paper: u8) -> StatusBytes {
        StatusBytes {
            printer,
            offline_cause,
            error_cause,
            paper,
        }
    }

    #[test]
    fn map_status_bytes() {
        let cases = [
            (bytes(0x12, 0x12, 0x12, 0x12), PrinterState::Ready),
            (bytes(0x12, 0x12, 0x12, 0x1E), PrinterState::PaperNearEnd),
            (bytes(0x1A, 0x32, 0x12, 0x72), PrinterState::PaperOut),
            (bytes(0x1A, 0x16, 0x12, 0x12), PrinterState::CoverOpen),
            (bytes(0x1A, 0x52, 0x1A, 0x12), PrinterState::CutterError),
            (
                bytes(0x1A, 0x52, 0x32, 0x12),
                PrinterState::UnrecoverableError,
            ),
            (
                bytes(0x1A, 0x52, 0x52, 0x12),
                PrinterState::RecoverableError,
            ),
            (
                bytes(0x1A, 0x1A, 0x12, 0x12),
                PrinterState::Offline {
                    raw: bytes(0x1A, 0x1A, 0x12, 0x12),
                },
            ),
            (
                bytes(0x12, 0x00, 0x12, 0x12),
                PrinterState::InvalidReply { query: 2, byte: 0 },
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(PrinterState::from_bytes(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn cover_open_wins_over_paper_out() {
        let state = PrinterState::from_bytes(bytes(0x1A, 0x36, 0x12, 0x72));
        assert_eq!(state, PrinterState::CoverOpen);
    }

    #[test]
    fn count_embedded_queries() {
        assert_eq!(
            embedded_queries(&[0x1D, 0x10, 0x04, 0x04, 0x10, 0x04, 0x09, 0x10, 0x04, 1]),
            2
        );
        assert_eq!(embedded_queries(&[0x10, 0x04]), 0);
    }

    #[test]
    fn good_states() {
        assert!(PrinterState::Ready.is_good());
        assert!(PrinterState::PaperNearEnd.is_good());
        assert!(!PrinterState::PaperOut.is_good());
        assert!(!PrinterState::NoAnswer {
            query: 1,
            timeout: Duration::from_secs(1)
        }
        .is_good());
    }

    #[test]
    fn russian_messages_say_what_to_do() {
        assert_eq!(
            PrinterState::PaperOut.message_ru(),
            "Закончилась бумага: вставьте новый рулон и закройте крышку."
        );
        assert_eq!(
            PrinterState::CoverOpen.message_ru(),
            "Открыта крышка принтера: закройте её до щелчка."
        );
    }
}
