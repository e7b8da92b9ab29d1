//! The main job end to end on two running windows: the kiosk's
//! registration, then the console's call, comparison, confirmation and
//! the end of the visit, each step recorded in a [`Report`] with its typed
//! result kept.

use std::path::PathBuf;

use super::console::{CalledTicket, Comparison, ConsoleDriver, Decision, OperatorLogin};
use super::kiosk::{ChipPlan, ChipStep, KioskDriver, KioskTicket};
use super::visitor::{Visitor, PHONE_SHOWN};
use super::{Report, ScenarioError};

/// What the run is asked to do.
pub struct JobInput {
    pub visitor: Visitor,
    pub operator: OperatorLogin,
    pub chip: ChipPlan,
    /// Folder for the windows' screenshots; none when absent.
    pub screenshots: Option<PathBuf>,
}

/// Every step's typed result; `None` where the run stopped earlier.
#[derive(Debug, Default)]
pub struct JobOutcome {
    pub report: Report,
    pub ticket: Option<KioskTicket>,
    pub called: Option<CalledTicket>,
    pub comparison: Option<Comparison>,
    pub decision: Option<Decision>,
    /// The code on the slip, as the caller's printer reading gave it.
    pub code: Option<String>,
}

/// Runs the main job; `slip_code` reads the printed slip's code, `None`
/// until it has printed.
pub fn run(
    kiosk: &KioskDriver<'_>,
    console: &ConsoleDriver<'_>,
    input: &JobInput,
    slip_code: impl FnMut() -> Option<String>,
) -> JobOutcome {
    run_with_pause(kiosk, console, input, slip_code, |_| Ok(()))
}

/// Runs the main job like [`run`], calling `after_ticket` once the kiosk
/// shows the ticket and before the operator logs in, so a caller can stop
/// or restart the server there. An error from it ends the run as a failed
/// step.
pub fn run_with_pause(
    kiosk: &KioskDriver<'_>,
    console: &ConsoleDriver<'_>,
    input: &JobInput,
    slip_code: impl FnMut() -> Option<String>,
    after_ticket: impl FnOnce(&KioskTicket) -> Result<(), ScenarioError>,
) -> JobOutcome {
    let mut outcome = JobOutcome::default();
    if let Err(err) = steps(kiosk, console, input, slip_code, after_ticket, &mut outcome) {
        let step = next_step(&outcome);
        outcome.report.failed(step, err);
    }
    outcome
}

fn next_step(outcome: &JobOutcome) -> &'static str {
    match (&outcome.ticket, &outcome.called, &outcome.decision) {
        (None, _, _) => "kiosk: registration",
        (Some(_), None, _) => "console: login, queue and call",
        (Some(_), Some(_), None) => "console: confirmation",
        _ if outcome.code.is_none() => "console: code slip",
        _ => "console: visit",
    }
}

fn shot(
    input: &JobInput,
    outcome: &mut JobOutcome,
    name: &str,
    take: impl FnOnce(&std::path::Path) -> Result<(), super::kiosk::ScreenshotError>,
) {
    if let Some(dir) = &input.screenshots {
        if let Err(err) = take(&dir.join(format!("{name}.png"))) {
            outcome.report.failed("screenshot", err);
        }
    }
}

fn steps(
    kiosk: &KioskDriver<'_>,
    console: &ConsoleDriver<'_>,
    input: &JobInput,
    slip_code: impl FnMut() -> Option<String>,
    after_ticket: impl FnOnce(&KioskTicket) -> Result<(), ScenarioError>,
    outcome: &mut JobOutcome,
) -> Result<(), ScenarioError> {
    let ticket = kiosk.register(&input.visitor, input.chip)?;
    outcome.report.done(
        "kiosk: registration",
        format!(
            "{} fields accepted, phone typed as «8 …» shown as {PHONE_SHOWN}; ticket {}",
            ticket.review.len(),
            ticket.number
        ),
    );
    match &ticket.chip {
        ChipStep::Read => outcome.report.done("kiosk: chip", "passport chip read"),
        ChipStep::Skipped => outcome.report.skipped("kiosk: chip", "not asked for"),
        ChipStep::Failed { message } => outcome
            .report
            .skipped("kiosk: chip", format!("not read: «{message}»")),
    }
    outcome.report.done(
        "kiosk: ticket",
        if ticket.printed_line.is_empty() {
            format!("{} on screen", ticket.number)
        } else {
            format!("{} on screen, «{}»", ticket.number, ticket.printed_line)
        },
    );
    shot(input, outcome, "kiosk-ticket", |path| {
        kiosk.screenshot(path)
    });
    let number = ticket.number.clone();
    let paused = after_ticket(&ticket);
    outcome.ticket = Some(ticket);
    paused?;

    console.log_in(&input.operator)?;
    console.wait_for_ticket(&number)?;
    outcome.report.done(
        "console: queue",
        format!("{number} arrived without a refresh"),
    );
    let called = console.call_next()?;
    if called.number != number {
        return Err(ScenarioError::Unexpected {
            step: "calling",
            expected: format!("ticket {number}"),
            found: format!("ticket {}", called.number),
        });
    }
    outcome.report.done(
        "console: call",
        format!("{} called ({})", called.number, called.kind),
    );
    outcome.called = Some(called);

    let comparison = console.compare();
    if comparison.phone != PHONE_SHOWN {
        return Err(ScenarioError::Unexpected {
            step: "comparing",
            expected: "the normalised phone".to_owned(),
            found: "another phone".to_owned(),
        });
    }
    if !comparison.mismatched.is_empty() {
        return Err(ScenarioError::Unexpected {
            step: "comparing",
            expected: "typed and chip data agree".to_owned(),
            found: format!("mismatches in {:?}", comparison.mismatched),
        });
    }
    if comparison.compared.is_empty() {
        outcome.report.skipped(
            "console: typed vs chip",
            format!("no chip data to compare ({})", comparison.chip.describe()),
        );
    } else {
        outcome.report.done(
            "console: typed vs chip",
            format!(
                "{} fields agree, {}",
                comparison.compared.len(),
                comparison.chip.describe()
            ),
        );
    }
    shot(input, outcome, "console-request", |path| {
        console.screenshot(path)
    });
    outcome.comparison = Some(comparison);

    let decision = console.confirm()?;
    shot(input, outcome, "console-decision", |path| {
        console.screenshot(path)
    });
    if !decision.confirmed {
        let banner = decision.banner.clone();
        outcome.decision = Some(decision);
        return Err(ScenarioError::Unexpected {
            step: "confirming",
            expected: "the decision confirmed".to_owned(),
            found: format!("«{banner}»"),
        });
    }
    outcome.report.done("console: decision", "confirmed");
    outcome.decision = Some(decision);

    let code = console.wait_for_slip(slip_code)?;
    outcome
        .report
        .done("console: code slip", format!("code {code} printed"));
    outcome.code = Some(code);

    console.finish_visit()?;
    outcome
        .report
        .done("console: visit", format!("{number} finished, window free"));
    Ok(())
}
