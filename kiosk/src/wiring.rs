//! Builds a kiosk with its real parts from the configuration: the
//! credentials and the SQLite store in the data directory, the sync
//! service, the printer and the chip reader.
//!
//! [`StationKiosk::open`] is what `kiosk run` calls, and what a scripted
//! demo or an end-to-end test calls after setting its Slint platform. The
//! screens themselves come from [`crate::init`]; this module only chooses
//! the parts.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use domain::clock::Clock;
use domain::sync::DeviceRole;
use hardware::printer::Printer;
use station::sync::{SyncConfig, STORE_FILE};
use station::{Credentials, Store, SyncHandle, SyncStatus};

use crate::app::{Kiosk, Services};
use crate::chip::{ChipReader, NoReader, PcscChipReader};
use crate::config::Config;
use crate::contacts::ContactConfirmer;
use crate::fields::DomainRules;
use crate::service::StationService;
use crate::station_contacts::StationContacts;
use crate::station_issuer::{StationIssuer, TicketSigner};
use crate::station_token::StationTokens;
use crate::token::SignatureTokens;

/// Choices a caller may make beyond the configuration file.
pub struct Options {
    /// The clock for the field rules, the ticket times and the number day.
    pub clock: Arc<dyn Clock>,
    /// The sync service's tuning; `None` takes the kiosk defaults in the
    /// configured time zone.
    pub sync: Option<SyncConfig>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            clock: Arc::new(domain::clock::SystemClock),
            sync: None,
        }
    }
}

/// The kiosk could not start with its parts.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "Киоск не зарегистрирован или файл учётных данных недоступен: {0}. Выполните `kiosk provision --server URL --token TOKEN --data-dir DIR` (the kiosk is not provisioned)"
    )]
    Credentials(#[from] station::credentials::CredentialsError),
    #[error("Нет ключа QR-кода талонов центра: {0} (the center's ticket QR key is missing)")]
    TicketKey(station::ProvisionError),
    #[error("Не удалось открыть локальную базу {path}: {source}")]
    Store {
        path: PathBuf,
        source: station::StoreError,
    },
    #[error("this station was provisioned as {role}, not as a kiosk; provision it again with a kiosk token")]
    WrongRole { role: &'static str },
    #[error("the sync service did not start: {0}")]
    Sync(#[from] station::sync::StartError),
    #[error("{0}")]
    Contacts(#[from] crate::station_contacts::StartError),
    #[error("{0}")]
    Tokens(#[from] crate::station_token::StartError),
    #[error("the kiosk window did not open: {0}")]
    Window(#[from] slint::PlatformError),
}

/// A kiosk window wired to the store, the sync service, the printer and
/// the reader. Dropping it stops the sync service; the store's committed
/// data stay in the file.
pub struct StationKiosk {
    kiosk: Kiosk,
    store: Arc<Store>,
    sync: Rc<SyncHandle>,
    credentials: Credentials,
}

impl StationKiosk {
    /// Opens the parts named by `config` and builds the window. Call it on
    /// the thread that runs the Slint event loop, after the platform is
    /// chosen (the testing backend in tests).
    pub fn open(config: &Config, options: Options) -> Result<StationKiosk, OpenError> {
        // Fetches the center's ticket QR key once for a kiosk enrolled
        // before the server handed it out.
        let credentials =
            station::provision::complete_ticket_key(&config.data_dir).map_err(|err| match err {
                station::ProvisionError::Credentials(err) => OpenError::Credentials(err),
                other => OpenError::TicketKey(other),
            })?;
        if credentials.role != DeviceRole::Kiosk {
            return Err(OpenError::WrongRole {
                role: credentials.role.as_str(),
            });
        }
        let path = config.data_dir.join(STORE_FILE);
        let store = Arc::new(Store::open(&path).map_err(|source| OpenError::Store {
            path: path.clone(),
            source,
        })?);

        let sync_config = options
            .sync
            .unwrap_or_else(|| SyncConfig::for_role(DeviceRole::Kiosk, config.time_zone.clone()));
        let sync = SyncHandle::start(Arc::clone(&store), &credentials, sync_config, |update| {
            tracing::debug!(?update, "sync update");
        })?;

        let sync = Rc::new(sync);
        let printer = Printer::new(config.printer_uri.clone(), config.printer_profile.clone());
        let service = StationService {
            data_dir: config.data_dir.clone(),
            credentials: credentials.clone(),
            sync: Rc::clone(&sync),
            printer: printer.clone(),
            reader: config.contactless_reader.clone(),
            time_zone: config.time_zone.clone(),
        };
        let signer = TicketSigner::from_credentials(&credentials, config.center_code.clone())?;
        let issuer = StationIssuer::new(
            Arc::clone(&store),
            printer,
            signer,
            config.center_name.clone(),
            config.time_zone.clone(),
            Arc::clone(&options.clock),
        );
        let chip: Rc<dyn ChipReader> = match &config.contactless_reader {
            Some(name) => Rc::new(PcscChipReader::new(name.clone())),
            None => Rc::new(NoReader),
        };
        let offset = config.time_zone.to_offset(options.clock.now());
        let services = Services {
            center_name: config.center_name.clone(),
            rules: Rc::new(DomainRules::new(Arc::clone(&options.clock), offset)),
            chip,
            issuer: Rc::new(issuer),
            service: Some(Rc::new(service)),
        };
        let contacts: Option<Rc<dyn ContactConfirmer>> = if config.confirm_contacts {
            Some(Rc::new(StationContacts::new(&credentials)?))
        } else {
            None
        };
        let tokens: Option<Rc<dyn SignatureTokens>> = match &config.token {
            Some(token) => Some(Rc::new(StationTokens::new(
                token.clone(),
                &credentials,
                Arc::clone(&store),
                Arc::clone(&options.clock),
            )?)),
            None => None,
        };
        let kiosk = crate::init_with_steps(services, contacts, tokens)?;
        tracing::info!(
            device_id = %credentials.device_id,
            store = %path.display(),
            printer = %config.printer_uri,
            reader = config.contactless_reader.as_deref().unwrap_or("none"),
            confirm_contacts = config.confirm_contacts,
            token_module = config.token.as_ref().map(|token| token.module.display().to_string()).unwrap_or_else(|| "none".to_owned()),
            "kiosk opened with its station parts"
        );
        Ok(StationKiosk {
            kiosk,
            store,
            sync,
            credentials,
        })
    }

    /// Returns the window's kiosk, for driving it in tests and demos.
    pub fn kiosk(&self) -> &Kiosk {
        &self.kiosk
    }

    /// Returns the local store.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Returns the sync status with the outbox counts read now.
    pub fn sync_status(&self) -> SyncStatus {
        self.sync.status()
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Runs the window until it closes, then stops the sync service and
    /// closes the store. This is the kiosk's one shutdown path.
    pub fn run(self) -> anyhow::Result<()> {
        let StationKiosk {
            kiosk, store, sync, ..
        } = self;
        // `Kiosk::run` consumes the window with its controllers. After it
        // returns, only this function holds the store and the sync handle.
        kiosk.run()?;
        drop(sync);
        if let Ok(store) = Arc::try_unwrap(store) {
            store.close()?;
        }
        Ok(())
    }
}
