//! Builds the kiosk window with its controllers ([`init`]) and runs it
//! ([`Kiosk::run`]). Tests call [`init`] under Slint's testing backend and
//! drive the returned window; the binary calls both.

use std::path::PathBuf;
use std::rc::Rc;

use slint::ComponentHandle;
use ui::KioskWindow;

use crate::chip::ChipReader;
use crate::contacts::ContactConfirmer;
use crate::controllers::{self, Context};
use crate::fields::FieldCheck;
use crate::issue::TicketIssuer;
use crate::service::ServiceMode;
use crate::token::SignatureTokens;

/// What the kiosk is connected to.
pub struct Services {
    /// The center's name on the attract screen and the top bar.
    pub center_name: String,
    pub rules: Rc<dyn FieldCheck>,
    pub chip: Rc<dyn ChipReader>,
    pub issuer: Rc<dyn TicketIssuer>,
    /// The technician's service mode; `None` ignores the long press.
    pub service: Option<Rc<dyn ServiceMode>>,
}

/// The kiosk window with its controllers wired.
pub struct Kiosk {
    window: KioskWindow,
    // Owns the session and the timers; dropping it ends them.
    _context: Rc<Context>,
}

/// Creates the window, wires every screen's controller and shows the
/// attract screen in Russian. Registration has no code step.
pub fn init(services: Services) -> Result<Kiosk, slint::PlatformError> {
    init_with_contacts(services, None)
}

/// Creates the window as [`init`] does; with `contacts`, a registration
/// confirms the visitor's phone and e-mail by one-time codes.
pub fn init_with_contacts(
    services: Services,
    contacts: Option<Rc<dyn ContactConfirmer>>,
) -> Result<Kiosk, slint::PlatformError> {
    init_with_steps(services, contacts, None)
}

/// Creates the window as [`init_with_contacts`] does; with `tokens`, the
/// choice of service offers confirming the identity with a signature
/// token.
pub fn init_with_steps(
    services: Services,
    contacts: Option<Rc<dyn ContactConfirmer>>,
    tokens: Option<Rc<dyn SignatureTokens>>,
) -> Result<Kiosk, slint::PlatformError> {
    let window = KioskWindow::new()?;
    let context = controllers::setup(&window, services, contacts, tokens);
    Ok(Kiosk {
        window,
        _context: context,
    })
}

impl Kiosk {
    /// Returns the window, for tests and for the binary's extra wiring.
    pub fn window(&self) -> &KioskWindow {
        &self.window
    }

    /// Shows the window and runs the event loop until the window closes.
    pub fn run(self) -> Result<(), slint::PlatformError> {
        self.window.run()
    }
}

/// Options of `kiosk run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The configuration file (see the `config` module for its keys).
    #[arg(long, default_value = crate::config::DEFAULT_PATH)]
    pub config: PathBuf,
}

/// Runs the kiosk with the parts its configuration names until its window
/// closes.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let config = crate::config::Config::load(&args.config)?;
    let kiosk = crate::wiring::StationKiosk::open(&config, crate::wiring::Options::default())?;
    tracing::info!("kiosk window open");
    kiosk.run()?;
    tracing::info!("kiosk window closed");
    Ok(())
}
