//! The token step's share of the kiosk tests: a configuration with a
//! `[token]` section for SoftHSM2's module, and waits on the step's state.

use hardware::token::test_rig;
use kiosk::config::Config;
use kiosk::StationKiosk;
use slint::ComponentHandle;
use ui::{TokenAdapter, TokenState};

use super::{run_until, Site};

/// Writes the kiosk's configuration with a `[token]` section for
/// SoftHSM2's module, naming `reader` when given, and loads it.
pub fn token_config(site: &Site, reader: Option<&str>) -> Config {
    site.config("file:///dev/null");
    let mut text = std::fs::read_to_string(&site.config_path).expect("read kiosk.toml");
    text.push_str(&format!(
        "\n[token]\nmodule = \"{}\"\n",
        test_rig::module_path().display()
    ));
    if let Some(reader) = reader {
        text.push_str(&format!("reader = \"{reader}\"\n"));
    }
    std::fs::write(&site.config_path, text).expect("write kiosk.toml");
    Config::load(&site.config_path).expect("the configuration loads")
}

pub fn token_state(kiosk: &StationKiosk) -> TokenState {
    kiosk.kiosk().window().global::<TokenAdapter>().get_state()
}

/// Runs the Slint event loop until the token step's state is `expected`.
pub fn run_until_token_state(kiosk: &StationKiosk, expected: TokenState) {
    run_until(kiosk, move |window| {
        window.global::<TokenAdapter>().get_state() == expected
    });
    assert_eq!(token_state(kiosk), expected, "the token step's state");
}
