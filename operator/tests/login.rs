//! Login, lockout, the inactivity lock and logout, through the window.

mod support;

use jiff::SignedDuration;
use operator::ui::{AppAdapter, Page};
use slint::ComponentHandle;
use support::{fixture, start, LOGIN, PASSWORD};

fn page(f: &support::Fixture) -> Page {
    f.console.window().global::<AppAdapter>().get_page()
}

#[test]
fn login_opens_work_page_in_russian() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();

    f.log_in();

    assert_eq!(page(&f), Page::Work);
    assert_eq!(f.text("WorkPage::header-window"), "Окно 3");
    assert_eq!(f.text("WorkPage::header-operator"), "Оператор: ivanova");
    assert_eq!(f.text("QueuePanel::call-next"), "Вызвать следующего");
}

#[test]
fn wrong_password_is_refused() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();

    f.fill("LoginPage::login-input", LOGIN);
    f.fill("LoginPage::password-input", "не тот");
    f.fill("LoginPage::window-input", "3");
    f.click("LoginPage::login-button");

    assert_eq!(page(&f), Page::Login);
    assert_eq!(
        f.text("LoginPage::error"),
        "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock и попробуйте снова."
    );
}

#[test]
fn lockout_shows_end_in_local_time() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    // 09:25 UTC is 12:25 in Moscow.
    let until = start()
        .checked_add(SignedDuration::from_mins(25))
        .expect("valid");
    f.backend.lock_out(LOGIN, until);

    f.fill("LoginPage::login-input", LOGIN);
    f.fill("LoginPage::password-input", PASSWORD);
    f.fill("LoginPage::window-input", "3");
    f.click("LoginPage::login-button");

    assert_eq!(page(&f), Page::Login);
    assert_eq!(
        f.text("LoginPage::error"),
        "Слишком много неудачных попыток. Вход заблокирован до 12:25; если доступ нужен раньше, обратитесь к старшему смены."
    );
}

#[test]
fn unreachable_server_is_explained_at_login() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    f.backend.set_online(false);

    f.fill("LoginPage::login-input", LOGIN);
    f.fill("LoginPage::password-input", PASSWORD);
    f.fill("LoginPage::window-input", "3");
    f.click("LoginPage::login-button");

    assert_eq!(
        f.text("LoginPage::error"),
        "Сервер не отвечает, поэтому пароль проверить нельзя. Проверьте сетевой кабель и попробуйте снова."
    );
}

#[test]
fn window_number_outside_range_is_refused() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();

    for window in ["0", "1000", "три", ""] {
        f.fill("LoginPage::login-input", LOGIN);
        f.fill("LoginPage::password-input", PASSWORD);
        f.fill("LoginPage::window-input", window);
        f.click("LoginPage::login-button");

        assert_eq!(page(&f), Page::Login, "window {window:?}");
        assert_eq!(
            f.text("LoginPage::error"),
            "Введите номер окна с таблички над рабочим местом: целое число от 1 до 999.",
            "window {window:?}"
        );
    }
}

#[test]
fn idle_screen_locks_and_unlocks_with_password() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    f.log_in();

    f.clock.advance(SignedDuration::from_secs(4 * 60 + 59));
    f.console.tick();
    assert_eq!(page(&f), Page::Work, "locked before five idle minutes");

    f.clock.advance(SignedDuration::from_secs(1));
    f.console.tick();
    assert_eq!(page(&f), Page::Locked);
    assert!(
        !f.is_shown("QueuePanel::call-next"),
        "the queue shows behind the lock"
    );

    f.fill("LockPage::password-input", "Окно#2025!");
    f.click("LockPage::unlock-button");
    assert_eq!(page(&f), Page::Locked);
    assert_eq!(
        f.text("LockPage::wrong-password"),
        "Неверный пароль. Попробуйте ещё раз или выйдите."
    );

    f.fill("LockPage::password-input", PASSWORD);
    f.click("LockPage::unlock-button");
    assert_eq!(page(&f), Page::Work);
}

#[test]
fn activity_postpones_lock() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    f.log_in();

    f.clock.advance(SignedDuration::from_mins(4));
    f.click("QueuePanel::call-next");
    f.clock.advance(SignedDuration::from_mins(4));
    f.console.tick();

    assert_eq!(page(&f), Page::Work);
}

#[test]
fn logout_returns_to_login() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    f.log_in();

    f.click("WorkPage::logout");

    assert_eq!(page(&f), Page::Login);
    assert_eq!(f.text("LoginPage::error"), "Вы вышли из системы.");
}

#[test]
fn expired_session_returns_to_login() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    f.log_in();

    // The stand-in server grants 12-hour sessions.
    f.clock.advance(SignedDuration::from_hours(12));
    f.console.tick();

    assert_eq!(page(&f), Page::Login);
    assert_eq!(f.text("LoginPage::error"), "Сеанс истёк. Войдите снова.");
}
