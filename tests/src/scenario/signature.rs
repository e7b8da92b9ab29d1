//! The signature leg as a script: a visitor whose signature token is in
//! place confirms their identity at the kiosk's token step, then the
//! server's `account show` must report the account «подтверждённая» by a
//! qualified electronic signature. Each step is recorded in a [`Report`].

use std::path::PathBuf;

use super::kiosk::{KioskDriver, TokenConfirmation};
use super::visitor::{Visitor, TOKEN_HOLDER_SHOWN};
use super::{Report, ScenarioError};

/// The `account show` line of a confirmed account.
pub const LEVEL_CONFIRMED: &str = "уровень: подтверждённая";
/// The `account show` line of an identity confirmed by a signature.
pub const METHOD_SIGNATURE: &str = "способ подтверждения: квалифицированная электронная подпись";

/// The inputs of the signature leg.
pub struct SignatureInput {
    pub visitor: Visitor,
    /// The token's PIN.
    pub pin: String,
    /// Folder for the kiosk's screenshots; none when absent.
    pub screenshots: Option<PathBuf>,
}

/// Every step's result; `None` where the run stopped earlier.
#[derive(Debug, Default)]
pub struct SignatureOutcome {
    pub report: Report,
    pub confirmation: Option<TokenConfirmation>,
    /// The `уровень:` and `способ подтверждения:` lines of `account show`.
    pub account: Option<(String, String)>,
}

/// Runs the leg. `account_show` runs `sync-server account show --snils`
/// for the СНИЛС it is given and returns its stdout.
pub fn run(
    kiosk: &KioskDriver<'_>,
    input: &SignatureInput,
    account_show: impl FnOnce(&str) -> Result<String, ScenarioError>,
) -> SignatureOutcome {
    let mut outcome = SignatureOutcome::default();
    if let Err(err) = steps(kiosk, input, account_show, &mut outcome) {
        let step = match (&outcome.confirmation, &outcome.account) {
            (None, _) => "kiosk: token step",
            (Some(_), None) => "server: account show",
            (Some(_), Some(_)) => "server: account",
        };
        outcome.report.failed(step, err);
    }
    outcome
}

fn shot(input: &SignatureInput, kiosk: &KioskDriver<'_>, report: &mut Report, name: &str) {
    if let Some(dir) = &input.screenshots {
        if let Err(err) = kiosk.screenshot(&dir.join(format!("{name}.png"))) {
            report.failed("screenshot", err);
        }
    }
}

fn steps(
    kiosk: &KioskDriver<'_>,
    input: &SignatureInput,
    account_show: impl FnOnce(&str) -> Result<String, ScenarioError>,
    outcome: &mut SignatureOutcome,
) -> Result<(), ScenarioError> {
    kiosk.open_token_step()?;
    outcome.report.done(
        "kiosk: token step",
        "certificate accepted by the kiosk, challenge received, PIN keypad shown",
    );
    shot(input, kiosk, &mut outcome.report, "kiosk-token-pin");

    let confirmation = kiosk.sign_with_pin(&input.pin)?;
    shot(input, kiosk, &mut outcome.report, "kiosk-token-confirmed");
    // The holder's name is personal data, so the report says only
    // whether it matches.
    let holder_matches = confirmation.holder == TOKEN_HOLDER_SHOWN;
    let status = confirmation.status.clone();
    outcome.confirmation = Some(confirmation);
    if !holder_matches {
        return Err(ScenarioError::Unexpected {
            step: "token PIN",
            expected: "the certificate holder's name on the success screen".to_owned(),
            found: "another name".to_owned(),
        });
    }
    outcome.report.done(
        "kiosk: signature",
        format!("PIN accepted, «Личность подтверждена» with the holder's name, «{status}»"),
    );
    kiosk.finish_token_step()?;

    let shown = account_show(input.visitor.snils)?;
    let line = |prefix: &str| {
        shown
            .lines()
            .find(|line| line.starts_with(prefix))
            .unwrap_or_default()
            .to_owned()
    };
    let (level, method) = (line("уровень:"), line("способ подтверждения:"));
    outcome.account = Some((level.clone(), method.clone()));
    if level != LEVEL_CONFIRMED || method != METHOD_SIGNATURE {
        return Err(ScenarioError::Unexpected {
            step: "account show",
            expected: format!("«{LEVEL_CONFIRMED}» and «{METHOD_SIGNATURE}»"),
            found: format!("«{level}» and «{method}»"),
        });
    }
    outcome
        .report
        .done("server: account", format!("«{level}», «{method}»"));
    Ok(())
}
