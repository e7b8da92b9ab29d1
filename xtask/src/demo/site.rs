//! The demo's files under `./var` and the server-side set-up: the sync
//! server process, the center, enrollment of both stations through their
//! own `provision` commands, the operator, and the stations' configuration
//! files.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use super::children::Children;

/// The demo operator's login.
pub const OPERATOR_LOGIN: &str = "demo";
/// The console's window number.
pub const WINDOW: u16 = 3;
/// The center's name on the screens and the paper.
pub const CENTER_NAME: &str = "МФЦ «Мои документы» (демо)";

/// Paths of one demo run.
pub struct Site {
    pub var: PathBuf,
    pub logs: PathBuf,
    pub config: PathBuf,
    pub database: PathBuf,
    /// `target/debug` with the built binaries.
    pub target: PathBuf,
}

impl Site {
    /// Removes the previous run's `var` and lays out a fresh one.
    pub fn create(var: PathBuf, target: &Path) -> Result<Site> {
        if var.exists() {
            std::fs::remove_dir_all(&var)
                .with_context(|| format!("cannot clear {} from the last run", var.display()))?;
        }
        let site = Site {
            logs: var.join("logs"),
            config: var.join("config"),
            database: var.join("server.sqlite3"),
            target: target.to_owned(),
            var,
        };
        for dir in [
            site.logs.clone(),
            site.config.clone(),
            site.var.join("receipts/kiosk"),
            site.var.join("receipts/operator"),
            site.var.join("screenshots"),
            site.var.join("kiosk"),
            site.var.join("operator"),
        ] {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Ok(site)
    }

    fn server_command(&self) -> Command {
        let mut command = Command::new(self.target.join("sync-server"));
        command.arg("--database").arg(&self.database);
        command
    }

    /// Runs an administration command, feeding `input` on stdin, and
    /// returns its trimmed stdout.
    pub fn admin(&self, args: &[&str], input: Option<&str>) -> Result<String> {
        let mut child = self
            .server_command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start sync-server")?;
        if let Some(mut stdin) = child.stdin.take() {
            if let Some(input) = input {
                writeln!(stdin, "{input}")?;
            }
        }
        let output = child.wait_with_output()?;
        if !output.status.success() {
            bail!(
                "`sync-server {}` failed: {}",
                args.first().copied().unwrap_or_default(),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// Starts `serve` on a free loopback port and waits until it accepts
    /// connections; returns its URL.
    pub fn start_server(&self, children: &mut Children) -> Result<String> {
        let address = free_port()?;
        let mut command = self.server_command();
        command
            .args(["serve", "--listen", &address.to_string()])
            .env("RUST_LOG", "debug");
        children.spawn("sync-server", command, &self.logs.join("server.log"))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while !healthy(address) {
            if let Some((name, status)) = children.exited() {
                bail!(
                    "{name} exited ({status}); see {}",
                    self.logs.join("server.log").display()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "timed out after 30 s waiting for the sync server on {address}; see {}",
                    self.logs.join("server.log").display()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(format!("http://{address}"))
    }

    pub fn add_center(&self) -> Result<String> {
        self.admin(
            &[
                "center",
                "add",
                "--name",
                CENTER_NAME,
                "--address",
                "Москва, ул. Тверская, 1",
                "--time-zone",
                "Europe/Moscow",
                "--latitude",
                "55.757",
                "--longitude",
                "37.615",
            ],
            None,
        )
    }

    /// Enrolls the station `role` (`kiosk` or `operator`) with a fresh
    /// one-time token, through the station's own `provision` command. The
    /// kiosk also stores `kiosk_pin` as its technician PIN, fed on stdin.
    pub fn provision(&self, role: &str, server: &str, center: &str, kiosk_pin: &str) -> Result<()> {
        let token_role = if role == "kiosk" { "kiosk" } else { "operator" };
        let token = self.admin(
            &["enroll-token", "--center", center, "--role", token_role],
            None,
        )?;
        let mut command = Command::new(self.target.join(role));
        command
            .arg("provision")
            .args(["--server", server, "--label", &format!("demo-{role}")])
            .arg("--data-dir")
            .arg(self.var.join(role))
            .env("OKNO_ENROLL_TOKEN", token)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if role == "kiosk" {
            command.arg("--pin-stdin");
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start `{role} provision`"))?;
        if let Some(mut stdin) = child.stdin.take() {
            if role == "kiosk" {
                writeln!(stdin, "{kiosk_pin}")?;
            }
        }
        let output = child.wait_with_output()?;
        if !output.status.success() {
            bail!(
                "`{role} provision` failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        println!("{role}: {}", String::from_utf8_lossy(&output.stdout).trim());
        Ok(())
    }

    pub fn add_operator(&self, center: &str, login: &str, password: &str) -> Result<()> {
        self.admin(
            &[
                "operator", "add", "--center", center, "--login", login, "--role", "operator",
            ],
            Some(password),
        )
        .map(|_| ())
    }

    /// Writes `config/kiosk.toml` and `config/operator.toml`. The kiosk
    /// gets a `[reader]` section only when the virtual chip runs, and a
    /// `[token]` section with `token_module` and no reader, so it finds
    /// the token by polling the module's slots.
    pub fn write_configs(&self, chip_reader: bool, token_module: Option<&Path>) -> Result<()> {
        let mut devices = if chip_reader {
            "\n[reader]\ncontactless = \"Virtual PCD 00 00\"\n".to_owned()
        } else {
            String::new()
        };
        if let Some(module) = token_module {
            devices.push_str(&format!(
                "\n[token]\nmodule = {:?}\n",
                module.display().to_string()
            ));
        }
        let kiosk = format!(
            "# Written by `cargo xtask demo`.\n\
             data_dir = {data:?}\n\
             center_name = {CENTER_NAME:?}\n\
             time_zone = \"Europe/Moscow\"\n\n\
             [printer]\n\
             uri = {uri:?}\n\
             profile = \"generic-80\"\n{devices}",
            data = self.var.join("kiosk").display().to_string(),
            uri = format!("virtual://{}", self.var.join("receipts/kiosk").display()),
        );
        std::fs::write(self.config.join("kiosk.toml"), kiosk)?;
        let operator = format!(
            "# Written by `cargo xtask demo`.\n\
             window = {WINDOW}\n\
             services = [\"identity_confirmation\", \"registration\", \"restore_access\", \"other_services\"]\n\
             idle_lock_minutes = 30\n\
             data_dir = {data:?}\n\
             center_name = {CENTER_NAME:?}\n\
             time_zone = \"Europe/Moscow\"\n\n\
             [printer]\n\
             uri = {uri:?}\n\
             profile = \"generic-80\"\n",
            data = self.var.join("operator").display().to_string(),
            uri = format!("virtual://{}", self.var.join("receipts/operator").display()),
        );
        std::fs::write(self.config.join("operator.toml"), operator)?;
        Ok(())
    }
}

fn free_port() -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free loopback port")?;
    Ok(listener.local_addr()?)
}

/// Tells whether `GET /healthz` returns 200.
fn healthy(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

/// Makes up the kiosk's technician PIN for one demo run: eight digits
/// from the kernel's random source.
pub fn demo_pin() -> Result<String> {
    let mut bytes = [0u8; 8];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .context("cannot read /dev/urandom")?;
    Ok(bytes
        .iter()
        .map(|byte| char::from(b'0' + byte % 10))
        .collect())
}

/// Makes up the demo operator's password from the kernel's random source:
/// upper, lower, digits and a sign, never four ordered characters in a row.
pub fn demo_password() -> Result<String> {
    let mut bytes = [0u8; 10];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .context("cannot read /dev/urandom")?;
    const UPPER: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghjkmnpqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    let pick = |set: &[u8], byte: u8| char::from(set[usize::from(byte) % set.len()]);
    let shape: [&[u8]; 10] = [
        UPPER, LOWER, LOWER, DIGITS, DIGITS, b"#", UPPER, LOWER, LOWER, DIGITS,
    ];
    Ok(shape
        .iter()
        .zip(bytes)
        .map(|(set, byte)| pick(set, byte))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_password_has_every_class() {
        let password = demo_password().expect("random bytes");
        assert_eq!(password.chars().count(), 10);
        assert!(password.chars().any(|c| c.is_ascii_uppercase()));
        assert!(password.chars().any(|c| c.is_ascii_lowercase()));
        assert!(password.chars().any(|c| c.is_ascii_digit()));
        assert_eq!(password.chars().nth(5), Some('#'));
    }

    #[test]
    fn demo_pin_is_eight_digits() {
        let pin = demo_pin().expect("random bytes");
        assert_eq!(pin.len(), 8);
        assert!(pin.bytes().all(|byte| byte.is_ascii_digit()), "{pin}");
    }

    fn site_in(dir: &Path) -> Site {
        Site::create(dir.join("var"), &dir.join("target")).expect("a fresh var")
    }

    #[test]
    fn written_kiosk_config_parses_with_the_reader() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let site = site_in(dir.path());
        site.write_configs(true, None).expect("configs written");
        let path = site.config.join("kiosk.toml");
        let text = std::fs::read_to_string(&path).expect("kiosk.toml");
        let config = kiosk::config::Config::parse(&path, &text).expect("kiosk.toml parses");
        assert_eq!(config.center_name, CENTER_NAME);
        assert_eq!(config.data_dir, site.var.join("kiosk"));
        assert_eq!(
            config.contactless_reader.as_deref(),
            Some("Virtual PCD 00 00")
        );
    }

    #[test]
    fn written_kiosk_config_parses_without_the_reader() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let site = site_in(dir.path());
        site.write_configs(false, None).expect("configs written");
        let path = site.config.join("kiosk.toml");
        let text = std::fs::read_to_string(&path).expect("kiosk.toml");
        let config = kiosk::config::Config::parse(&path, &text).expect("kiosk.toml parses");
        assert_eq!(config.contactless_reader, None);
    }

    #[test]
    fn written_kiosk_config_parses_with_the_token() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let site = site_in(dir.path());
        let module = Path::new("/usr/lib/softhsm/libsofthsm2.so");
        site.write_configs(false, Some(module))
            .expect("configs written");
        let path = site.config.join("kiosk.toml");
        let text = std::fs::read_to_string(&path).expect("kiosk.toml");
        let config = kiosk::config::Config::parse(&path, &text).expect("kiosk.toml parses");
        let token = config.token.expect("a [token] section");
        assert_eq!(token.module, module);
        assert_eq!(token.reader, None);
        assert_eq!(config.contactless_reader, None);
    }

    #[test]
    fn written_operator_config_loads() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let site = site_in(dir.path());
        site.write_configs(false, None).expect("configs written");
        let config = operator::config::Config::load(&site.config.join("operator.toml"))
            .expect("operator.toml loads");
        assert_eq!(config.window.to_string(), WINDOW.to_string());
        assert_eq!(config.services.len(), 4);
        assert_eq!(config.idle_lock_minutes, 30);
        assert_eq!(config.center_name, CENTER_NAME);
        assert_eq!(config.data_dir, site.var.join("operator"));
        assert_eq!(config.time_zone.as_deref(), Some("Europe/Moscow"));
        assert_eq!(
            config.printer_uri,
            format!("virtual://{}", site.var.join("receipts/operator").display())
        );
    }
}
