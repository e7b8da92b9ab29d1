//! The idle guard: a minute without a touch asks «Вы ещё здесь?», and
//! fifteen more seconds without an answer end and wipe the session.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use slint::{ComponentHandle, Timer, TimerMode};
use ui::{Activity, IdleAdapter, KioskWindow};

use super::Context;

/// Time without a touch before the kiosk asks whether the visitor is there.
pub const IDLE_AFTER: Duration = Duration::from_secs(60);
/// Seconds the question waits for an answer before the session ends.
pub const ANSWER_SECONDS: u32 = 15;

#[derive(Default)]
pub(crate) struct IdleClock {
    /// Fires once `IDLE_AFTER` after the last touch.
    quiet: Timer,
    /// Ticks each second while the question is shown.
    countdown: Timer,
    seconds_left: Cell<u32>,
}

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let weak = Rc::downgrade(context);
    window.global::<Activity>().on_touched(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        // While the question shows, only its own buttons answer it.
        if context.idle.quiet.running() && !window.global::<IdleAdapter>().get_asking() {
            context.idle.quiet.restart();
        }
    });

    let adapter = window.global::<IdleAdapter>();
    let weak = Rc::downgrade(context);
    adapter.on_still_here(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        context.idle.countdown.stop();
        window.global::<IdleAdapter>().set_asking(false);
        restart(&context);
    });

    let weak = Rc::downgrade(context);
    adapter.on_end_session(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        super::end_session(&window, &context);
    });
}

/// Starts the quiet period afresh.
pub(crate) fn restart(context: &Rc<Context>) {
    let weak = Rc::downgrade(context);
    context
        .idle
        .quiet
        .start(TimerMode::SingleShot, IDLE_AFTER, move || {
            let Some(context) = weak.upgrade() else {
                return;
            };
            let Some(window) = context.window.upgrade() else {
                return;
            };
            ask(&window, &context);
        });
}

/// Stops both timers and hides the question.
pub(crate) fn stop(window: &KioskWindow, context: &Rc<Context>) {
    context.idle.quiet.stop();
    context.idle.countdown.stop();
    window.global::<IdleAdapter>().set_asking(false);
}

fn ask(window: &KioskWindow, context: &Rc<Context>) {
    tracing::info!(
        answer_seconds = ANSWER_SECONDS,
        "no touch for a minute, asking"
    );
    context.idle.seconds_left.set(ANSWER_SECONDS);
    let adapter = window.global::<IdleAdapter>();
    adapter.set_seconds_left(ANSWER_SECONDS as i32);
    adapter.set_asking(true);

    let weak = Rc::downgrade(context);
    context
        .idle
        .countdown
        .start(TimerMode::Repeated, Duration::from_secs(1), move || {
            let Some(context) = weak.upgrade() else {
                return;
            };
            let Some(window) = context.window.upgrade() else {
                return;
            };
            let left = context.idle.seconds_left.get().saturating_sub(1);
            context.idle.seconds_left.set(left);
            window.global::<IdleAdapter>().set_seconds_left(left as i32);
            if left == 0 {
                tracing::info!("no answer, session ends");
                super::end_session(&window, &context);
            }
        });
}
