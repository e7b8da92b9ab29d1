//! `kiosk card-test`: the technician's check of the card reader. Lists the
//! readers, waits for a card, prints its ATR and what it was recognised as,
//! and with `--mrz` reads a chip passport and prints DG1 and the passive
//! authentication result. The photo is decoded to check it but its bytes
//! are never printed.
//!
//! It prints to stdout for a person at the terminal; messages are in
//! Russian first, then English.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};
use clap::Args;
use domain::mrz::{BacInput, Sex};
use hardware::card::atr::Atr;
use hardware::card::emrtd::face;
use hardware::card::emrtd::passive;
use hardware::card::pcsc::{self, CardEvent, Monitor, PcscCard};
use hardware::card::{read_document, ReadOptions};

/// Check the card reader: list readers, wait for a card, show what it is.
#[derive(Args, Debug)]
pub struct CardTestArgs {
    /// Seconds to wait for a card before giving up.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Use only this reader (its full PC/SC name).
    #[arg(long)]
    pub reader: Option<String>,
    /// Read a chip passport with these MRZ data: DOCNUMBER,YYMMDD,YYMMDD
    /// (document number, date of birth, date of expiry).
    #[arg(long, value_name = "DOCNUMBER,YYMMDD,YYMMDD")]
    pub mrz: Option<String>,
    /// Directory of CSCA certificates (DER or PEM) to check the document
    /// signer against; without it the issuer is not checked.
    #[arg(long)]
    pub csca_dir: Option<PathBuf>,
    /// Read with short APDUs only, even if the chip offers extended length.
    #[arg(long)]
    pub no_extended_length: bool,
}

pub fn run(args: &CardTestArgs) -> Result<()> {
    // Check the MRZ argument first so a typo fails before any waiting.
    let input = match &args.mrz {
        Some(text) => Some(
            BacInput::parse_triple(text).map_err(|err| anyhow!("{}\n{err}", err.message_ru()))?,
        ),
        None => None,
    };

    let context = pcsc::establish().map_err(|err| anyhow!("{}\n{err}", err.message_ru()))?;
    let readers =
        pcsc::list_readers(&context).map_err(|err| anyhow!("{}\n{err}", err.message_ru()))?;
    println!("Считыватели / readers: {}", readers.len());
    for reader in &readers {
        println!("  {reader}");
    }
    if readers.is_empty() {
        bail!("Считыватели не найдены. Подключите считыватель и повторите.\nno card readers found");
    }
    if let Some(wanted) = &args.reader {
        if !readers.contains(wanted) {
            bail!("Считыватель «{wanted}» не найден.\nreader `{wanted}` not found");
        }
    }

    println!(
        "Ожидание карты ({} с) / waiting for a card ({} s)...",
        args.timeout, args.timeout
    );
    let monitor = Monitor::start().map_err(|err| anyhow!("{}\n{err}", err.message_ru()))?;
    let (reader, atr) = wait_for_card(
        &monitor,
        args.reader.as_deref(),
        Duration::from_secs(args.timeout),
    )?;
    monitor.stop();

    println!("Карта / card: {reader}");
    match Atr::parse(&atr) {
        Ok(parsed) => {
            println!("ATR: {parsed}");
            println!(
                "Распознано / recognised: {}",
                parsed.card_kind().describe_ru()
            );
        }
        Err(err) => {
            let hex: Vec<String> = atr.iter().map(|b| format!("{b:02X}")).collect();
            println!("ATR: {}", hex.join(" "));
            println!("ATR не разобран / ATR invalid: {err}");
        }
    }

    let Some(input) = input else {
        return Ok(());
    };
    let mut card = PcscCard::connect(&context, &reader).map_err(|err| {
        let read_error = hardware::card::ReadError::from(err);
        anyhow!("{}\n{read_error}", read_error.message_ru())
    })?;
    let options = ReadOptions {
        extended_length: !args.no_extended_length,
        ..ReadOptions::default()
    };
    let started = Instant::now();
    let document = read_document(&mut card, &input, options)
        .map_err(|err| anyhow!("{}\n{err}", err.message_ru()))?;
    println!(
        "Чип прочитан за {:.2} с / chip read in {:.2} s",
        started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    let mrz = &document.mrz;
    println!("DG1:");
    println!("  тип документа / document code: {}", mrz.document_code);
    println!("  государство / issuing state: {}", mrz.issuing_state);
    println!("  номер / document number: {}", mrz.document_number);
    println!("  фамилия / surname: {}", mrz.surname);
    println!("  имя / given names: {}", mrz.given_names);
    println!("  гражданство / nationality: {}", mrz.nationality);
    println!(
        "  дата рождения / date of birth (YYMMDD): {}",
        mrz.birth_date
    );
    println!("  пол / sex: {}", sex_label(mrz.sex));
    println!(
        "  действителен до / date of expiry (YYMMDD): {}",
        mrz.expiry_date
    );
    if let Some((surname, given)) = mrz.cyrillic_names() {
        println!("  кириллицей / in Cyrillic: {surname} {given}");
    }
    match &document.face {
        Some(image) => match face::decode_rgba(image) {
            Ok(pixels) => println!(
                "DG2: фото {}x{} / photo {}x{}",
                pixels.width, pixels.height, pixels.width, pixels.height
            ),
            Err(err) => println!("DG2: {} / {err}", err.message_ru()),
        },
        None => println!("DG2: нет / absent"),
    }

    let cscas = match &args.csca_dir {
        Some(directory) => Some(passive::load_csca_directory(directory).map_err(|err| {
            anyhow!(
                "Не удалось прочитать каталог CSCA {}.\nfailed to read the CSCA directory: {err}",
                directory.display()
            )
        })?),
        None => None,
    };
    let report = passive::authenticate(&document.sod, &document.data_groups, cscas.as_deref());
    println!(
        "Пассивная аутентификация / passive authentication: {}",
        report.message_ru()
    );
    println!("  {}", report.summary());
    Ok(())
}

fn wait_for_card(
    monitor: &Monitor,
    reader: Option<&str>,
    timeout: Duration,
) -> Result<(String, Vec<u8>)> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = monitor.events().recv_timeout(left).map_err(|_| {
            anyhow!(
                "Карта не обнаружена за {} с. Положите документ на считыватель и повторите.\nno card within {} s",
                timeout.as_secs(),
                timeout.as_secs()
            )
        })?;
        match event {
            CardEvent::CardInserted { reader: name, atr }
                if reader.is_none_or(|wanted| wanted == name) =>
            {
                return Ok((name, atr))
            }
            CardEvent::ServiceStopped => bail!("{}\npcscd stopped", event.describe_ru()),
            CardEvent::CardMute { reader: ref name }
                if reader.is_none_or(|wanted| wanted == name) =>
            {
                bail!(
                    "{}\ncard in `{name}` does not answer reset",
                    event.describe_ru()
                )
            }
            _ => {}
        }
    }
}

/// Returns the sex field as the technician reads it, Russian first.
fn sex_label(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "мужской / male (M)",
        Sex::Female => "женский / female (F)",
        Sex::Unspecified => "не указан / unspecified (<)",
    }
}
