//! `okno-virtual-chip`: a virtual BAC passport chip that plugs into
//! vsmartcard's vpcd, so pcscd shows it in the reader `Virtual PCD 00 00`.
//!
//! The chip's MRZ comes from `--mrz-file` (two TD3 or three TD1 lines) or
//! from the separate field flags; the photo from `--photo` (a JPEG) or a
//! generated placeholder. Each run makes a fresh test CSCA and document
//! signer; `--csca-out DIR` writes the CSCA certificate there so a reader
//! can check the issuer.
//!
//! vpcd listens on every interface, so run pcscd and this program inside a
//! network namespace with only loopback up. The program exits when vpcd
//! closes the connection, and on SIGTERM like any process.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;
use hardware::card::sim::profile::PassportFields;
use hardware::card::sim::{vpcd, ChipProfile, TestIssuer, VirtualChip};

/// A virtual ICAO 9303 passport chip for vpcd.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// vpcd address the chip connects to.
    #[arg(long, default_value = "127.0.0.1:35963")]
    vpcd: SocketAddr,
    /// Seconds to keep retrying while vpcd is not listening yet.
    #[arg(long, default_value_t = 10)]
    connect_timeout: u64,
    /// File with the MRZ: two lines of 44 (passport) or three of 30 (ID card).
    #[arg(long, conflicts_with_all = ["document_number", "surname"])]
    mrz_file: Option<PathBuf>,
    /// Document number (without check digit).
    #[arg(long, default_value = "L898902C")]
    document_number: String,
    /// Surname in MRZ Latin letters.
    #[arg(long, default_value = "IVANOVA")]
    surname: String,
    /// Given names in MRZ Latin letters, separated by spaces.
    #[arg(long, default_value = "ANNA")]
    given_names: String,
    /// Issuing state and nationality, three letters.
    #[arg(long, default_value = "RUS")]
    country: String,
    /// Date of birth, YYMMDD.
    #[arg(long, default_value = "690806")]
    birth: String,
    /// Date of expiry, YYMMDD.
    #[arg(long, default_value = "940623")]
    expiry: String,
    /// Sex: M, F or <.
    #[arg(long, default_value = "F")]
    sex: String,
    /// JPEG file used as the DG2 face photo.
    #[arg(long)]
    photo: Option<PathBuf>,
    /// Size in bytes the generated placeholder photo is padded to.
    #[arg(long, default_value_t = 20_000)]
    photo_bytes: usize,
    /// Refuse extended-length READ BINARY, like older chips.
    #[arg(long)]
    no_extended_length: bool,
    /// Most data bytes per short protected reply.
    #[arg(long, default_value_t = 231)]
    short_reply_cap: usize,
    /// Leave TCP delayed ACK on (adds about 45 ms per APDU with Debian's
    /// vpcd); only for measuring that cost.
    #[arg(long)]
    no_quickack: bool,
    /// Answer to reset to present instead of the contactless pseudo-ATR,
    /// in hex (to imitate other cards); the empty string sends no ATR bytes.
    #[arg(long)]
    atr: Option<String>,
    /// Directory to write the test CSCA certificate into (okno-test-csca.der).
    #[arg(long)]
    csca_out: Option<PathBuf>,
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();

    let lines: Vec<String> = match &args.mrz_file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("failed to read the MRZ file {}", path.display()))?
            .lines()
            .map(|line| line.trim().to_owned())
            .filter(|line| !line.is_empty())
            .collect(),
        None => PassportFields {
            country: args.country.clone(),
            document_number: args.document_number.clone(),
            surname: args.surname.clone(),
            given_names: args.given_names.clone(),
            birth_date: args.birth.clone(),
            sex: args.sex.clone(),
            expiry_date: args.expiry.clone(),
        }
        .to_lines()
        .context("the MRZ fields do not form a valid passport MRZ; check the dates (YYMMDD) and letters (A-Z)")?
        .to_vec(),
    };

    let mut profile = ChipProfile::new(lines, args.photo_bytes)
        .context("failed to draw the placeholder photo")?;
    if let Some(path) = &args.photo {
        let jpeg = std::fs::read(path)
            .with_context(|| format!("failed to read the photo {}", path.display()))?;
        profile = profile
            .with_photo(jpeg)
            .with_context(|| format!("{} is not a JPEG image", path.display()))?;
    }
    profile.extended_length = !args.no_extended_length;
    profile.short_reply_cap = args.short_reply_cap;

    let issuer = TestIssuer::generate()?;
    if let Some(directory) = &args.csca_out {
        std::fs::create_dir_all(directory)
            .with_context(|| format!("failed to create {}", directory.display()))?;
        let path = directory.join("okno-test-csca.der");
        std::fs::write(&path, issuer.csca_der()?)
            .with_context(|| format!("failed to write {}", path.display()))?;
    }
    let mut chip = VirtualChip::new(profile, &issuer)?;
    if let Some(text) = &args.atr {
        chip.set_atr(parse_hex(text).context("--atr must be hex digits, two per byte")?);
    }

    let mut stream = vpcd::connect(args.vpcd, Duration::from_secs(args.connect_timeout))
        .with_context(|| {
            format!(
                "failed to connect to vpcd at {}; is pcscd with vpcd running?",
                args.vpcd
            )
        })?;
    vpcd::serve(&mut stream, &mut chip, !args.no_quickack)
        .context("the connection to vpcd failed")?;
    Ok(())
}

fn parse_hex(text: &str) -> Result<Vec<u8>> {
    let digits: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() % 2 != 0 {
        anyhow::bail!("odd number of hex digits");
    }
    digits
        .chunks(2)
        .map(|pair| {
            let byte: String = pair.iter().collect();
            u8::from_str_radix(&byte, 16).with_context(|| format!("`{byte}` is not a hex byte"))
        })
        .collect()
}
