//! A printer at a URI with a profile: checks status, sends a job, checks
//! status again, and reports whether the job counts as printed.
//!
//! Each operation opens the link and closes it afterwards, so a printer
//! that was switched off and on between jobs needs no reconnect logic. A
//! job is sent only when the status before it is good, and counts as
//! printed only when the job was accepted and the status after it is good
//! too. Otherwise the caller gets a [`PrintError`]; the kiosk then shows
//! the ticket number and QR code on screen and raises a device alert.
//! Errors are returned, not logged here: the caller logs each one once.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use tracing::debug;

use crate::printer::escpos::Job;
use crate::printer::profile::Profile;
use crate::printer::status::{embedded_queries, PrinterState, StatusBytes, QUERIES};
use crate::printer::transport::{self, Reply, Transport};
use crate::printer::uri::PrinterUri;

/// Default wait for each status reply. Printers on a LAN or USB reply
/// within milliseconds; a second also covers a printer still busy printing.
pub const DEFAULT_STATUS_TIMEOUT: Duration = Duration::from_secs(1);

/// Default bound on connecting and on writing a job.
pub const DEFAULT_IO_TIMEOUT: Duration = Duration::from_secs(5);

/// A status reading, or the fact that the link cannot report one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Known(PrinterState),
    /// The link has no back channel (`file://`): status is not known.
    Unsupported,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Known(state) => state.fmt(f),
            Status::Unsupported => f.write_str("unknown (the link has no status channel)"),
        }
    }
}

/// A job the printer accepted with a good status after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintReport {
    pub bytes_sent: usize,
    pub before: Status,
    /// Good, but possibly [`PrinterState::PaperNearEnd`], which deserves an
    /// alert of its own.
    pub after: Status,
    /// The PNG the virtual printer rendered, for `virtual://` printers.
    pub preview: Option<PathBuf>,
}

/// A job that does not count as printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("printer {uri} is not ready ({state}); the job was not sent")]
    NotReady { uri: String, state: PrinterState },
    #[error("printer {uri} reported {state} after the job; the job may be lost")]
    FailedAfterJob { uri: String, state: PrinterState },
    #[error("failed to reach printer {uri}: {source}")]
    Link { uri: String, source: io::Error },
}

impl PrintError {
    /// Returns what the person at the device should do, in Russian.
    pub fn message_ru(&self) -> String {
        match self {
            PrintError::NotReady { state, .. } => state.message_ru(),
            PrintError::FailedAfterJob { state, .. } => {
                format!("Талон мог не напечататься. {}", state.message_ru())
            }
            PrintError::Link { .. } => {
                "Нет связи с принтером: проверьте питание, кабель и адрес принтера в настройках."
                    .to_owned()
            }
        }
    }

    /// Returns the state the printer reported, if it reported one.
    pub fn state(&self) -> Option<&PrinterState> {
        match self {
            PrintError::NotReady { state, .. } | PrintError::FailedAfterJob { state, .. } => {
                Some(state)
            }
            PrintError::Link { .. } => None,
        }
    }
}

/// A printer Okno prints to.
#[derive(Debug, Clone)]
pub struct Printer {
    uri: PrinterUri,
    profile: Profile,
    status_timeout: Duration,
    io_timeout: Duration,
}

impl Printer {
    pub fn new(uri: PrinterUri, profile: Profile) -> Printer {
        Printer {
            uri,
            profile,
            status_timeout: DEFAULT_STATUS_TIMEOUT,
            io_timeout: DEFAULT_IO_TIMEOUT,
        }
    }

    /// Sets how long each status query waits for its reply.
    pub fn with_status_timeout(mut self, timeout: Duration) -> Printer {
        self.status_timeout = timeout;
        self
    }

    pub fn uri(&self) -> &PrinterUri {
        &self.uri
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Reads the status without printing.
    pub fn status(&self) -> Result<Status, PrintError> {
        let mut link = self.open()?;
        self.read_status(link.as_mut())
    }

    /// Prints `job`: status, job, status. See the module doc for when a job
    /// counts as printed.
    pub fn print(&self, job: &Job) -> Result<PrintReport, PrintError> {
        let uri = self.uri.to_string();
        let mut link = self.open()?;
        link.discard_input()
            .map_err(|source| self.link_error(source))?;

        let before = self.read_status(link.as_mut())?;
        if let Status::Known(state) = &before {
            if !state.is_good() {
                debug!(printer = %uri, state = %state, "printer not ready; job not sent");
                return Err(PrintError::NotReady {
                    uri,
                    state: state.clone(),
                });
            }
        }

        let sent = link
            .send(job.as_bytes())
            .map_err(|source| self.link_error(source))?;
        self.skip_embedded_replies(link.as_mut(), job.as_bytes())?;
        debug!(printer = %uri, bytes = job.as_bytes().len(), "job sent");

        let after = self.read_status(link.as_mut())?;
        if let Status::Known(state) = &after {
            if !state.is_good() {
                debug!(printer = %uri, state = %state, "printer reported a fault after the job");
                return Err(PrintError::FailedAfterJob {
                    uri,
                    state: state.clone(),
                });
            }
        }

        Ok(PrintReport {
            bytes_sent: job.as_bytes().len(),
            before,
            after,
            preview: sent.preview,
        })
    }

    fn open(&self) -> Result<Box<dyn Transport>, PrintError> {
        transport::open(&self.uri, &self.profile, self.io_timeout)
            .map_err(|source| self.link_error(source))
    }

    /// Sends the four `DLE EOT` queries, stopping at the first that gets no
    /// reply.
    fn read_status(&self, link: &mut dyn Transport) -> Result<Status, PrintError> {
        let mut replies = [0u8; 4];
        for (slot, query) in replies.iter_mut().zip(QUERIES) {
            match link
                .query(query, self.status_timeout)
                .map_err(|source| self.link_error(source))?
            {
                Reply::Byte(byte) => *slot = byte,
                Reply::TimedOut => {
                    return Ok(Status::Known(PrinterState::NoAnswer {
                        query,
                        timeout: self.status_timeout,
                    }))
                }
                Reply::Unsupported => return Ok(Status::Unsupported),
            }
        }
        let [printer, offline_cause, error_cause, paper] = replies;
        Ok(Status::Known(PrinterState::from_bytes(StatusBytes {
            printer,
            offline_cause,
            error_cause,
            paper,
        })))
    }

    /// Reads and drops the replies to `DLE EOT n` sequences inside the job
    /// (see [`embedded_queries`]), so they are not taken for the replies to
    /// the status queries after it. A printer that ignores such sequences
    /// costs one status timeout per sequence.
    fn skip_embedded_replies(
        &self,
        link: &mut dyn Transport,
        job: &[u8],
    ) -> Result<(), PrintError> {
        for _ in 0..embedded_queries(job) {
            let reply = link
                .read_reply(self.status_timeout)
                .map_err(|source| self.link_error(source))?;
            if reply != Reply::TimedOut {
                debug!(printer = %self.uri, ?reply, "dropped a reply to DLE EOT inside the job");
            }
        }
        Ok(())
    }

    fn link_error(&self, source: io::Error) -> PrintError {
        PrintError::Link {
            uri: self.uri.to_string(),
            source,
        }
    }
}
