//! Reading a new operator password: twice from a prompt on a terminal, or
//! one line from stdin in scripts. Checked against the domain password
//! policy before it is hashed.

use std::io::{BufRead, IsTerminal};

use anyhow::bail;
use domain::field::FieldRule;
use domain::Lang;

/// Reads and checks a new password.
pub fn read_new_password() -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Новый пароль: ")?;
        let second = rpassword::prompt_password("Повторите пароль: ")?;
        if first != second {
            bail!("пароли не совпадают; запустите команду снова");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };

    let problems = domain::password::strength_errors(&password);
    if !problems.is_empty() {
        let messages: Vec<String> = problems.iter().map(|rule| rule.message(Lang::Ru)).collect();
        bail!("пароль не подходит: {}", messages.join(" "));
    }
    Ok(password)
}

/// Reads one secret line (such as a confirmation code) without echo on a
/// terminal, or from stdin in scripts, so it stays out of shell history.
pub fn read_line(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(prompt)?);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
