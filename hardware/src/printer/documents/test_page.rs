//! The technicians' test page: the profile, the code page table, every
//! Russian letter, the text sizes, a QR code and the cut.

use crate::printer::escpos::{Job, QrErrorCorrection};
use crate::printer::layout::{Layout, QrLayoutError, Style};
use crate::printer::profile::Profile;

/// Every Russian capital letter in alphabetical order.
pub const CAPITALS: &str = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
/// Every Russian small letter in alphabetical order.
pub const SMALL_LETTERS: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
/// Characters CP866 lacks, printed to show their replacements.
pub const REPLACED_SAMPLE: &str = "«» — – “” ₽ № 😀";

/// The test page for one printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPage {
    /// The printer's address as configured, shown so the technician can tell
    /// printers apart.
    pub printer_uri: String,
}

impl TestPage {
    /// Returns the data of the test page's QR code for `profile`.
    pub fn qr_data(profile: &Profile) -> String {
        format!("OKNO TEST PAGE {}", profile.name.to_uppercase())
    }

    /// Lays the page out for `profile`.
    pub fn to_job(&self, profile: &Profile) -> Result<Job, QrLayoutError> {
        let yes_no = |value: bool| if value { "да" } else { "нет" };
        let mut layout = Layout::new(profile);
        layout
            .paragraph("Okno: тестовая страница", Style::CENTER.bold())
            .rule()
            .paragraph(&format!("Принтер: {}", self.printer_uri), Style::NORMAL)
            .paragraph(
                &format!("Профиль: {} ({})", profile.name, profile.description),
                Style::NORMAL,
            )
            .paragraph(
                &format!(
                    "Ширина: {} точек, {} символов в строке",
                    profile.width_dots, profile.chars_per_line.font_a
                ),
                Style::NORMAL,
            )
            .paragraph(
                &format!("Кодовая страница: ESC t {} (CP866)", profile.code_page),
                Style::NORMAL,
            )
            .paragraph(
                &format!("Встроенный QR: {}", yes_no(profile.native_qr)),
                Style::NORMAL,
            )
            .paragraph(
                &format!("Отрезчик: {}", yes_no(profile.cutter)),
                Style::NORMAL,
            )
            .rule()
            .paragraph("Таблица символов 80-FF:", Style::NORMAL.bold());
        for high in 0x8u8..=0xF {
            let row: Vec<u8> = (0..16).map(|low| (high << 4) | low).collect();
            layout.code_table_line(&format!("{high:X}x "), &row);
        }
        layout
            .rule()
            .paragraph("Все буквы:", Style::NORMAL.bold())
            .paragraph(CAPITALS, Style::NORMAL)
            .paragraph(SMALL_LETTERS, Style::NORMAL)
            .paragraph(&format!("Замены: {REPLACED_SAMPLE}"), Style::NORMAL)
            .paragraph("Жирный шрифт", Style::NORMAL.bold())
            .rule()
            .paragraph("Размеры:", Style::NORMAL.bold());
        for (width, height) in [(1, 1), (2, 1), (1, 2), (2, 2), (3, 3)] {
            layout.single_line(
                &format!("{width}x{height} Ёж"),
                Style::NORMAL.sized(width, height),
            );
        }
        layout
            .rule()
            .paragraph("QR-код (модель 2):", Style::NORMAL.bold());
        layout.qr(&TestPage::qr_data(profile), QrErrorCorrection::M)?;
        let ending = if profile.cutter {
            "Ниже отрез бумаги."
        } else {
            "Без отрезчика: оторвите бумагу."
        };
        layout.paragraph(ending, Style::CENTER);
        Ok(layout.finish())
    }
}
