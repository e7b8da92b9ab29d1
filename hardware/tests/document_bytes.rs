//! Exact bytes of every document on both paper widths.
//!
//! Each document is compared with a reviewed hex dump in `tests/golden`
//! (16 bytes a line, with the CP866 text beside it). After a deliberate
//! layout change, regenerate the dumps with `OKNO_BLESS=1 cargo test -p
//! hardware --test document_bytes`, and review the diff and the PNGs the
//! virtual printer renders before committing. The confirmation slip on
//! 58 mm paper is also spelled out command by command below.

mod common;

use std::path::PathBuf;

use common::*;
use hardware::printer::cp866;

/// Formats `bytes` as the golden dump format.
fn hex_dump(bytes: &[u8]) -> String {
    let mut dump = String::new();
    for chunk in bytes.chunks(16) {
        let hex: Vec<String> = chunk.iter().map(|byte| format!("{byte:02x}")).collect();
        let text: String = chunk
            .iter()
            .map(|&byte| match byte {
                0x20..=0x7E | 0x80..=0xAF | 0xE0..=0xF1 => cp866::decode_byte(byte),
                _ => '.',
            })
            .collect();
        dump.push_str(&format!("{:<47}  |{text}|\n", hex.join(" ")));
    }
    dump
}

fn golden_path(document: &str, profile: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{document}-{profile}.hex"))
}

#[test]
fn documents_match_golden_bytes() {
    let bless = std::env::var_os("OKNO_BLESS").is_some();
    for name in WIDTHS {
        let profile = profile(name);
        for (document, job) in documents(&profile) {
            let path = golden_path(document, name);
            let actual = hex_dump(job.as_bytes());
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_else(|err| {
                panic!("{}: {err}; run with OKNO_BLESS=1 once", path.display())
            });
            assert!(
                actual == expected,
                "{document} on {name} differs from {}:\n{actual}",
                path.display()
            );
        }
    }
}

#[test]
fn confirmation_slip_58mm_spelled_out() {
    let profile = profile("generic-58");
    let job = confirmation().to_job(&profile);

    let text = |s: &str| {
        let mut bytes = cp866::encode(s);
        bytes.push(0x0A);
        bytes
    };
    let mut expected: Vec<u8> = vec![0x1B, 0x40, 0x1B, 0x74, 17];
    expected.extend([0x1B, 0x61, 1, 0x1B, 0x45, 1]); // center, bold
    expected.extend(text("МФЦ \"Мои документы\" района"));
    expected.extend(text("Хамовники"));
    expected.extend([0x1B, 0x61, 0, 0x1B, 0x45, 0]); // left, regular
    expected.extend(text(&"-".repeat(32)));
    expected.extend([0x1B, 0x61, 1]);
    expected.extend(text("Код подтверждения личности"));
    expected.extend([0x1D, 0x21, 0x22, 0x1B, 0x45, 1]); // 3 x 3, bold
    expected.extend(text("K7M3Q9"));
    expected.extend([0x1D, 0x21, 0x00, 0x1B, 0x45, 0]);
    expected.extend(text("Действует до 04.12.2026 18:05"));
    expected.extend(text("Окно 5, оператор 12"));
    expected.extend([0x1B, 0x61, 0]);
    expected.extend(text(&"-".repeat(32)));
    expected.extend([0x1B, 0x45, 1]);
    expected.extend(text("Как ввести код:"));
    expected.extend([0x1B, 0x45, 0]);
    expected.extend(text("1. Войдите на сайт gosuslugi.ru"));
    expected.extend(text("или в приложение \"Госуслуги\"."));
    expected.extend(text("2. Откройте уведомление о"));
    expected.extend(text("подтверждении личности."));
    expected.extend(text("3. Введите код до окончания"));
    expected.extend(text("срока действия."));
    expected.extend([0x1B, 0x45, 1]);
    expected.extend(text("Никому не сообщайте этот код."));
    expected.extend([0x1B, 0x45, 0]);
    expected.extend([0x1B, 0x64, 5]); // no cutter: feed past the tear bar

    assert_eq!(hex_dump(job.as_bytes()), hex_dump(&expected));
}

#[test]
fn ticket_80mm_native_qr_block() {
    let profile = profile("generic-80");
    let bytes = ticket().to_job(&profile).unwrap().into_bytes();
    let payload = ticket_payload();

    let mut qr = vec![0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0];
    qr.extend([0x1D, 0x28, 0x6B, 3, 0, 49, 67, 6]);
    qr.extend([0x1D, 0x28, 0x6B, 3, 0, 49, 69, 49]);
    qr.extend([0x1D, 0x28, 0x6B, payload.len() as u8 + 3, 0, 49, 80, 48]);
    qr.extend(payload.as_bytes());
    qr.extend([0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48]);

    let found = bytes
        .windows(qr.len())
        .position(|window| window == qr.as_slice());
    assert!(
        found.is_some(),
        "native QR block missing:\n{}",
        hex_dump(&bytes)
    );
    assert_eq!(
        &bytes[bytes.len() - 7..],
        [0x1B, 0x64, 3, 0x1D, 0x56, 65, 0]
    );
}

#[test]
fn ticket_58mm_raster_bands() {
    let profile = profile("generic-58");
    let bytes = ticket().to_job(&profile).unwrap().into_bytes();
    let headers: Vec<usize> = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, window)| *window == [0x1D, 0x76, 0x30, 0])
        .map(|(offset, _)| offset)
        .collect();
    // Version 4 at level M (33 modules) plus 8 quiet modules, 6 dots each:
    // 246 rows in ten bands of 24 and one of 6, 31 bytes a row.
    assert_eq!(headers.len(), 11);
    for (index, &offset) in headers.iter().enumerate() {
        let rows = if index < 10 { 24 } else { 6 };
        assert_eq!(
            &bytes[offset + 4..offset + 8],
            [31, 0, rows, 0],
            "band {index}"
        );
    }
}
