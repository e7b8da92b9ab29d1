//! The `kiosk` binary: the visitor's touchscreen station, and the
//! technicians' commands for its devices.
//!
//! `run` opens the touchscreen flow. `provision` enrolls the kiosk with the
//! sync server, and the technicians' commands `printer-test` and
//! `card-test` check the printer and the card reader. Each subcommand is
//! one variant of [`Command`] and one arm in `main`.

mod card_test;
mod printer_test;

use clap::{Parser, Subcommand};

/// Okno kiosk: the visitor's touchscreen station at a service center.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Open the visitor's screens in a window (or full-screen with the
    /// `linuxkms` build).
    Run(kiosk::app::RunArgs),
    /// Enroll this kiosk with the sync server, store its credentials and
    /// set the technician PIN for the service mode
    Provision(KioskProvisionArgs),
    /// Print the test page (or a sample ticket) and report the printer's status
    PrinterTest(printer_test::PrinterTestArgs),
    /// Check the card reader: list readers, wait for a card, show its ATR;
    /// with --mrz read a chip passport.
    CardTest(card_test::CardTestArgs),
}

/// Options of `kiosk provision`.
#[derive(clap::Args)]
struct KioskProvisionArgs {
    #[command(flatten)]
    station: station::cli::ProvisionArgs,
    /// Read the technician PIN (6 to 12 digits) from the first line of
    /// standard input instead of asking for it twice at the terminal
    #[arg(long)]
    pin_stdin: bool,
}

/// Reads the technician PIN before enrolling, so a mistyped PIN wastes no
/// one-time token; stores its hash once the kiosk is enrolled.
fn provision(args: &KioskProvisionArgs) -> anyhow::Result<()> {
    let pin = if args.pin_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim().to_owned()
    } else {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "Нет терминала для ввода ПИН техника: передайте его первой строкой стандартного ввода с --pin-stdin (no terminal to ask the technician PIN; use --pin-stdin)"
            );
        }
        let pin = rpassword::prompt_password("ПИН техника (6–12 цифр) / technician PIN: ")?;
        let again = rpassword::prompt_password("Повторите ПИН / repeat the PIN: ")?;
        if pin != again {
            anyhow::bail!("ПИН не совпал; запустите команду ещё раз (the PINs differ)");
        }
        pin
    };
    kiosk::service_pin::check_form(&pin)?;
    station::cli::run_provision("kiosk", &args.station)?;
    let dir = args
        .station
        .data_dir
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from(kiosk::config::DEFAULT_DATA_DIR));
    let path = kiosk::service_pin::set(&dir, &pin)?;
    println!(
        "ПИН техника сохранён (technician PIN stored) in {}",
        path.display()
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => {
            tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .init();
            kiosk::app::run(args)
        }
        Command::Provision(args) => provision(&args),
        Command::PrinterTest(args) => printer_test::run(&args),
        Command::CardTest(args) => card_test::run(&args),
    }
}
