//! Renders every document with the virtual printer on both paper widths and
//! checks the result independently: QR codes through `rqrr` and `zbarimg`,
//! text by decoding the CP866 bytes back.

mod common;

use common::*;
use hardware::printer::cp866;
use hardware::printer::documents::test_page::{CAPITALS, SMALL_LETTERS};
use hardware::printer::documents::ticket::{INSTRUCTION_KEEP, INSTRUCTION_WAIT};
use hardware::printer::documents::TestPage;
use hardware::printer::layout::wrap;
use hardware::printer::virtual_printer::VirtualPrinter;

/// Renders every document for `profile` into its own directory and returns
/// (document, PNG path) pairs.
fn render_documents(
    profile: &hardware::printer::Profile,
    dir_name: &str,
) -> Vec<(&'static str, std::path::PathBuf)> {
    let dir = output_dir(dir_name);
    let printer =
        VirtualPrinter::new(profile.clone(), dir.clone()).expect("fonts-dejavu-core is installed");
    documents(profile)
        .into_iter()
        .map(|(document, job)| {
            let path = printer.print(job.as_bytes()).expect("the job renders");
            let target = dir.join(format!("{document}.png"));
            std::fs::rename(&path, &target).expect("the PNG is renamed");
            (document, target)
        })
        .collect()
}

#[test]
fn render_keeps_paper_width() {
    for name in WIDTHS {
        let profile = profile(name);
        for (document, path) in render_documents(&profile, &format!("width-{name}")) {
            let image = image::open(&path).unwrap();
            assert_eq!(
                image.width(),
                u32::from(profile.width_dots),
                "{name} {document}"
            );
        }
    }
}

#[test]
fn ticket_qr_decodes_independently() {
    for name in WIDTHS {
        for native_qr in [true, false] {
            let profile = profile_with_native_qr(name, native_qr);
            let rendered = render_documents(&profile, &format!("qr-{name}-{native_qr}"));
            let (_, ticket_png) = &rendered[0];
            assert_eq!(
                rqrr_decode(ticket_png),
                [ticket_payload()],
                "{name} native={native_qr}"
            );
            assert_eq!(
                zbar_decode(ticket_png),
                [ticket_payload()],
                "{name} native={native_qr}"
            );

            let (_, test_png) = &rendered[3];
            assert_eq!(rqrr_decode(test_png), [TestPage::qr_data(&profile)]);
            assert_eq!(zbar_decode(test_png), [TestPage::qr_data(&profile)]);
        }
    }
}

#[test]
fn ticket_payload_verifies_after_scan() {
    use domain::ticket_qr::{TicketQr, TicketQrKey};

    let profile = profile("generic-58");
    let rendered = render_documents(&profile, "verify-scan");
    let scanned = zbar_decode(&rendered[0].1);
    let key = TicketQrKey::new(TEST_KEY).unwrap();
    let now = jiff::Timestamp::from_second(1_796_393_100 + 600).unwrap();
    let ticket =
        TicketQr::verify(&scanned[0], &key, now, jiff::SignedDuration::from_hours(12)).unwrap();
    assert_eq!(ticket.center.as_str(), "MFC-77-014");
}

#[test]
fn ticket_lines_decode_to_intended_text() {
    for name in WIDTHS {
        let profile = profile(name);
        let ticket = ticket();
        let page = decode(ticket.to_job(&profile).unwrap().as_bytes(), &profile);
        let columns = usize::from(profile.chars_per_line.font_a);

        let mut expected = wrap(&ticket.center_name, columns);
        expected.push("-".repeat(columns));
        expected.push("Ваш номер в очереди".into());
        expected.push("П-042".into());
        expected.extend(wrap(&ticket.service, columns));
        expected.push("04.12.2026 14:05".into());
        expected.push("-".repeat(columns));
        expected.push("Перед вами: 3 чел.".into());
        expected.push("Примерное ожидание: 15 мин.".into());
        expected.extend(wrap(INSTRUCTION_WAIT, columns));
        expected.extend(wrap(INSTRUCTION_KEEP, columns));

        assert_eq!(page.text_lines(), expected, "{name}");
        assert_eq!(page.overflows, Vec::<String>::new(), "{name}");
    }
}

#[test]
fn confirmation_lines_decode_to_intended_text() {
    use hardware::printer::documents::confirmation::PORTAL_STEPS;

    for name in WIDTHS {
        let profile = profile(name);
        let slip = confirmation();
        let page = decode(slip.to_job(&profile).as_bytes(), &profile);
        let columns = usize::from(profile.chars_per_line.font_a);

        let mut expected = wrap(&slip.center_name, columns);
        expected.push("-".repeat(columns));
        expected.push("Код подтверждения личности".into());
        expected.push("K7M3Q9".into());
        expected.push("Действует до 04.12.2026 18:05".into());
        expected.push("Окно 5, оператор 12".into());
        expected.push("-".repeat(columns));
        expected.push("Как ввести код:".into());
        for step in PORTAL_STEPS {
            expected.extend(wrap(step, columns));
        }
        expected.push("Никому не сообщайте этот код.".into());

        assert_eq!(page.text_lines(), expected, "{name}");
    }
}

#[test]
fn rejection_lines_decode_to_intended_text() {
    for name in WIDTHS {
        let profile = profile(name);
        let slip = rejection();
        let page = decode(slip.to_job(&profile).as_bytes(), &profile);
        let columns = usize::from(profile.chars_per_line.font_a);

        let mut expected = wrap(&slip.center_name, columns);
        expected.push("-".repeat(columns));
        expected.push("Личность не подтверждена".into());
        expected.push("Причина:".into());
        expected.extend(wrap(
            "Данные паспорта в заявке не совпадают с данными в паспорте: номер паспорта - другой.",
            columns,
        ));
        expected.push("Что делать:".into());
        expected.extend(wrap(slip.next_step.as_deref().unwrap(), columns));
        expected.push("-".repeat(columns));
        expected.push("Окно 5, оператор 12".into());
        expected.push("04.12.2026 14:20".into());

        assert_eq!(page.text_lines(), expected, "{name}");
    }
}

#[test]
fn center_name_replacements_on_paper() {
    let profile = profile("generic-80");
    let page = decode(ticket().to_job(&profile).unwrap().as_bytes(), &profile);
    assert_eq!(
        page.text_lines()[0],
        "МФЦ \"Мои документы\" района Хамовники"
    );
}

#[test]
fn test_page_prints_every_letter() {
    for name in WIDTHS {
        let profile = profile(name);
        let page = decode(test_page().to_job(&profile).unwrap().as_bytes(), &profile);
        let text = page.text_lines().concat();
        for letter in CAPITALS.chars().chain(SMALL_LETTERS.chars()) {
            assert!(text.contains(letter), "{name}: {letter} missing");
        }
        let lines = page.text_lines();
        assert!(lines.contains(&"8x АБВГДЕЖЗИЙКЛМНОП".to_string()), "{name}");
        assert!(lines.contains(&"Ex рстуфхцчшщъыьэюя".to_string()), "{name}");
        assert!(
            lines.contains(&"Замены: \"\" - - \"\" руб. N ?".to_string()),
            "{name}"
        );
    }
}

#[test]
fn no_line_overflows_on_any_document() {
    for name in WIDTHS {
        let profile = profile(name);
        for (document, job) in documents(&profile) {
            let page = decode(job.as_bytes(), &profile);
            assert_eq!(page.overflows, Vec::<String>::new(), "{name} {document}");
        }
    }
}

#[test]
fn long_fields_wrap_and_truncate() {
    let profile = profile("generic-58");
    let mut ticket = ticket();
    ticket.center_name = "Многофункциональный центр предоставления государственных и муниципальных услуг города Москвы".into();
    ticket.number = "ЭЛЕКТРОННАЯ-ОЧЕРЕДЬ-НОМЕР-000042-ДЛИННЫЙ".into();
    ticket.service = "Подтверждение_учётной_записи_на_портале_государственных_услуг".into();
    let page = decode(ticket.to_job(&profile).unwrap().as_bytes(), &profile);
    assert_eq!(page.overflows, Vec::<String>::new());
    for line in page.text_lines() {
        assert!(line.chars().count() <= 32, "{line}");
    }
    assert!(page
        .text_lines()
        .contains(&"ЭЛЕКТРОННАЯ-ОЧЕРЕДЬ-НОМЕР-000...".to_string()));
}

#[test]
fn every_cyrillic_byte_is_inside_code_page() {
    // The decoder rejects any byte >= 0x80 before `ESC t n`; check the raw
    // bytes too, so the test does not rest on the decoder alone.
    for name in WIDTHS {
        let profile = profile(name);
        for (document, job) in documents(&profile) {
            let bytes = job.as_bytes();
            assert_eq!(
                &bytes[..5],
                [0x1B, 0x40, 0x1B, 0x74, profile.code_page],
                "{document}"
            );
            assert!(
                !bytes.windows(3).any(|w| w == [0xD0, 0x9F, 0x2D]),
                "UTF-8 П- in {document}"
            );
            let utf8_leads = bytes[5..]
                .windows(2)
                .filter(|pair| matches!(pair[0], 0xD0 | 0xD1) && (0x80..=0xBF).contains(&pair[1]))
                .count();
            // 0xD0 and 0xD1 lead every UTF-8 Cyrillic letter. In CP866 they
            // are box-drawing characters, which only the test page's code
            // table prints.
            if document != "test-page" {
                assert_eq!(utf8_leads, 0, "{name} {document}");
            }
        }
    }
}

#[test]
fn decoder_rejects_byte_outside_code_page() {
    let profile = profile("generic-80");
    let mut bytes = vec![0x1B, 0x40];
    bytes.extend(cp866::encode("Да"));
    bytes.push(0x0A);
    let err = hardware::printer::virtual_printer::decode(&bytes, &profile).unwrap_err();
    assert_eq!(err.offset, 2);
    assert_eq!(err.problem, "byte 0x84 outside a selected code page");
}

#[test]
fn decoder_rejects_qr_model_1() {
    let profile = profile("generic-80");
    let mut bytes = vec![0x1B, 0x40, 0x1B, 0x74, 17];
    bytes.extend([0x1D, 0x28, 0x6B, 4, 0, 49, 65, 49, 0]);
    let err = hardware::printer::virtual_printer::decode(&bytes, &profile).unwrap_err();
    assert_eq!(
        err.problem,
        "QR model byte 49 selected; Okno prints only Model 2 (50)"
    );
}
