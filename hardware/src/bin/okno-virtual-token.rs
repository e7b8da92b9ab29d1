//! `okno-virtual-token`: a SoftHSM2 token for trying the kiosk's signature
//! step without a USB token. Built only with the `test-rig` feature:
//! `cargo build -p hardware --features test-rig --bin okno-virtual-token`.
//!
//! In `--dir` it sets up one token through `hardware::token::test_rig`:
//! an ECDSA P-256 key pair generated on the token and a certificate for the
//! person named on the command line, issued by a fresh test certification
//! center (`domain::qualified_certificate::testing`). It also writes that
//! center's root and intermediate certificates and CRLs that revoke
//! nothing and expire in 30 days, ready for `sync-server trust add
//! --anchor`, `trust add` and `trust add-crl`.
//!
//! Prints `key=value` lines on stdout: `pin`, `module`, `softhsm2_conf`,
//! `anchor`, `intermediate`, and `crl` once per CRL. A program that loads
//! the module finds the token only with `SOFTHSM2_CONF` set to that file.
//! A failed `softhsm2-util` or `pkcs11-tool` call panics with the command
//! and its output, because the rig is test code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::testing::days;
use domain::{FieldRule, Lang};
use hardware::token::test_rig::{self, KeyKind, Scenario, NUMERIC, PRINTABLE, UTF8};

/// Sets up a SoftHSM2 token with a test qualified certificate.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Directory for the token, its SoftHSM2 configuration and the trust
    /// files; it must not hold a token yet.
    #[arg(long)]
    dir: PathBuf,
    /// The token's label.
    #[arg(long, default_value = "okno-demo")]
    label: String,
    /// The holder's surname, as the certificate's surname attribute.
    #[arg(long)]
    surname: String,
    /// The holder's given name and patronymic, separated by a space.
    #[arg(long)]
    given_names: String,
    /// The holder's СНИЛС, 11 digits with or without separators.
    #[arg(long)]
    snils: String,
    /// The holder's personal ИНН, 12 digits; left out of the certificate
    /// when absent.
    #[arg(long)]
    inn: Option<String>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("okno-virtual-token: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<()> {
    let tokens = args.dir.join("tokens");
    if tokens.exists() {
        bail!(
            "{} exists already; remove it or give another --dir, so the new \
             token's label stays unique",
            tokens.display()
        );
    }
    // The rule's message only: a СНИЛС or ИНН is personal data.
    let snils = domain::snils::parse_snils(&args.snils)
        .map_err(|err| anyhow::anyhow!("--snils: {}", err.message(Lang::En)))?;
    let inn = args
        .inn
        .as_deref()
        .map(domain::inn::parse_personal_inn)
        .transpose()
        .map_err(|err| anyhow::anyhow!("--inn: {}", err.message(Lang::En)))?;

    // The rig takes `'static` strings because its tests' tables are
    // literals. This process ends right after the set-up, so leaking these
    // few strings costs nothing.
    let text = |value: String| -> &'static str { value.leak() };
    let common_name = text(format!("{} {}", args.surname, args.given_names));
    let mut subject = vec![
        ("2.5.4.6", PRINTABLE, "RU"),
        ("2.5.4.3", UTF8, common_name),
        (oid::SURNAME, UTF8, text(args.surname)),
        (oid::GIVEN_NAME, UTF8, text(args.given_names)),
        (oid::SNILS, NUMERIC, text(snils.digits())),
    ];
    if let Some(inn) = inn {
        subject.push((oid::INN, NUMERIC, text(inn.as_str().to_owned())));
    }
    let scenario = Scenario {
        label: text(args.label),
        key: KeyKind::EcP256,
        subject,
        valid_from: days(-30),
        valid_until: days(365),
    };

    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    let prepared = test_rig::prepare(&args.dir, &[scenario]);
    let trust = write_trust_files(&args.dir.join("trust"), &prepared)?;

    println!("pin={}", test_rig::PIN);
    println!("module={}", test_rig::module_path().display());
    println!("softhsm2_conf={}", prepared.config.display());
    println!("anchor={}", trust.anchor.display());
    println!("intermediate={}", trust.intermediate.display());
    for crl in &trust.crls {
        println!("crl={}", crl.display());
    }
    Ok(())
}

/// The certification center's files for the server's trust directory.
struct TrustFiles {
    anchor: PathBuf,
    intermediate: PathBuf,
    crls: Vec<PathBuf>,
}

/// Writes the center's certificates and CRLs (DER) into `dir`. The CRLs
/// revoke nothing, date from a day before the token was made and expire
/// 30 days after it.
fn write_trust_files(dir: &Path, prepared: &test_rig::PreparedTokens) -> Result<TrustFiles> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let this_update = prepared.started - days(1);
    let next_update = Some(prepared.started + days(30));
    let write = |name: &str, bytes: &[u8]| -> Result<PathBuf> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(path)
    };
    Ok(TrustFiles {
        anchor: write("root.der", prepared.ca.root_der())?,
        intermediate: write("intermediate.der", prepared.ca.intermediate_der())?,
        crls: vec![
            write(
                "root.crl",
                &prepared.ca.root_crl(&[], this_update, next_update),
            )?,
            write(
                "intermediate.crl",
                &prepared.ca.intermediate_crl(&[], this_update, next_update),
            )?,
        ],
    })
}
