//! The technician's service mode: what it shows and the checks it runs,
//! behind the [`ServiceMode`] seam, and [`StationService`], which reads
//! the station store, the sync service, the printer and the PC/SC
//! reader.
//!
//! Opening it (a long press in a corner, then the PIN) and its screen
//! belong to `controllers::service`. Everything a technician reads here is
//! Russian; none of it carries personal data.

use std::path::PathBuf;
use std::rc::Rc;

use hardware::printer::{Printer, Status, TestPage};
use jiff::tz::TimeZone;
use station::{Credentials, SyncHandle};

/// The values the service screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceReport {
    pub device_id: String,
    pub server: String,
    /// Whether the server responded to the last exchange, in Russian.
    pub link: String,
    /// The last good exchange with the server, local time, or «ещё не было».
    pub last_sync: String,
    pub outbox_pending: u64,
    pub outbox_failed: u64,
    pub printer: String,
    pub reader: String,
}

/// The service mode's data and checks.
pub trait ServiceMode {
    /// Checks the technician PIN.
    fn check_pin(&self, pin: &str) -> bool;
    /// Reads the current state. May block for the printer's status reply.
    fn report(&self) -> ServiceReport;
    /// Prints the test page and returns the outcome in Russian.
    fn test_print(&self) -> String;
    /// Checks the card reader and a card on it; returns the outcome in
    /// Russian.
    fn card_test(&self) -> String;
}

/// The service mode of a kiosk with its real parts.
pub struct StationService {
    pub(crate) data_dir: PathBuf,
    pub(crate) credentials: Credentials,
    pub(crate) sync: Rc<SyncHandle>,
    pub(crate) printer: Printer,
    pub(crate) reader: Option<String>,
    pub(crate) time_zone: TimeZone,
}

impl ServiceMode for StationService {
    fn check_pin(&self, pin: &str) -> bool {
        let accepted = crate::service_pin::verify(&self.data_dir, pin);
        tracing::info!(accepted, "service mode PIN checked");
        accepted
    }

    fn report(&self) -> ServiceReport {
        let status = self.sync.status();
        let link = match status.link {
            station::sync::Link::Unknown => "проверяется".to_owned(),
            station::sync::Link::Up => "есть".to_owned(),
            station::sync::Link::Down => format!(
                "нет ({})",
                status.last_error.as_deref().unwrap_or("причина неизвестна")
            ),
        };
        let last_sync = match status.last_sync_at {
            Some(at) => self
                .time_zone
                .to_datetime(at)
                .strftime("%d.%m.%Y %H:%M:%S")
                .to_string(),
            None => "ещё не было".to_owned(),
        };
        ServiceReport {
            device_id: self.credentials.device_id.to_string(),
            server: self.credentials.server_url.clone(),
            link,
            last_sync,
            outbox_pending: status.outbox_pending,
            outbox_failed: status.outbox_failed,
            printer: printer_status(&self.printer),
            reader: reader_status(self.reader.as_deref()),
        }
    }

    fn test_print(&self) -> String {
        let page = TestPage {
            printer_uri: self.printer.uri().to_string(),
        };
        let job = match page.to_job(self.printer.profile()) {
            Ok(job) => job,
            Err(err) => return format!("Тестовая страница не сверстана: {err}"),
        };
        match self.printer.print(&job) {
            Ok(report) => {
                tracing::info!(printer = %self.printer.uri(), bytes = report.bytes_sent, "test page printed");
                "Тестовая страница напечатана.".to_owned()
            }
            Err(err) => {
                tracing::warn!(printer = %self.printer.uri(), cause = %err, "test page not printed");
                err.message_ru()
            }
        }
    }

    fn card_test(&self) -> String {
        let Some(pattern) = self.reader.as_deref() else {
            return "Считыватель не настроен: добавьте [reader] contactless в kiosk.toml."
                .to_owned();
        };
        let reader = match find_reader(pattern) {
            Ok(reader) => reader,
            Err(message) => return message,
        };
        let context = match hardware::card::pcsc::establish() {
            Ok(context) => context,
            Err(err) => return err.message_ru(),
        };
        match hardware::card::pcsc::PcscCard::connect(&context, &reader) {
            Ok(_) => format!("Считыватель «{reader}» исправен, карта отвечает."),
            Err(err) => {
                tracing::info!(reader = %reader, cause = %err, "card test: no card responded");
                format!("Считыватель «{reader}» исправен; карта не приложена или не отвечает.")
            }
        }
    }
}

/// Reads the printer's status as a Russian sentence.
fn printer_status(printer: &Printer) -> String {
    match printer.status() {
        Ok(Status::Known(state)) => state.message_ru(),
        Ok(Status::Unsupported) => {
            "Состояние неизвестно: у этого подключения нет обратного канала.".to_owned()
        }
        Err(err) => err.message_ru(),
    }
}

/// Describes the configured reader's presence in Russian.
fn reader_status(pattern: Option<&str>) -> String {
    match pattern {
        None => "Не настроен: шаг с чипом не предлагается.".to_owned(),
        Some(pattern) => match find_reader(pattern) {
            Ok(reader) => format!("Подключён: {reader}"),
            Err(message) => message,
        },
    }
}

/// Returns the first PC/SC reader whose name contains `pattern`, or a
/// Russian message saying what is wrong.
pub fn find_reader(pattern: &str) -> Result<String, String> {
    let context = hardware::card::pcsc::establish().map_err(|err| err.message_ru())?;
    let readers = hardware::card::pcsc::list_readers(&context).map_err(|err| err.message_ru())?;
    readers
        .into_iter()
        .find(|name| name.contains(pattern))
        .ok_or_else(|| {
            format!("Считыватель «{pattern}» не найден: проверьте кабель и имя в kiosk.toml.")
        })
}
