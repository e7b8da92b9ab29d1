//! Paper layout: wraps and truncates text to the profile's characters per
//! line, tracks the printer's text state, and places QR codes natively or
//! as raster images.
//!
//! Widths are counted in character cells after [`cp866::normalize`], so a
//! replacement such as `₽` → `руб.` is measured as printed. A line never
//! exceeds the columns of its text size, so the printer never wraps on its
//! own. Which lines a document has is the work of `documents`.

use crate::printer::cp866;
use crate::printer::escpos::{Align, Job, QrErrorCorrection, QrTooLong, TextSize};
use crate::printer::profile::Profile;
use crate::printer::raster;

/// Alignment, size and weight of a block of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub align: Align,
    pub size: TextSize,
    pub bold: bool,
}

impl Style {
    pub const NORMAL: Style = Style {
        align: Align::Left,
        size: TextSize::NORMAL,
        bold: false,
    };

    pub const CENTER: Style = Style {
        align: Align::Center,
        ..Style::NORMAL
    };

    pub fn bold(self) -> Style {
        Style { bold: true, ..self }
    }

    pub fn sized(self, width: u8, height: u8) -> Style {
        Style {
            size: TextSize::new(width, height),
            ..self
        }
    }
}

/// A QR code that cannot be printed on this paper.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrLayoutError {
    #[error(transparent)]
    TooLong(#[from] QrTooLong),
    #[error("QR data of {len} bytes does not fit any QR version at this error correction level")]
    NoVersion { len: usize },
    #[error("a QR code of {modules} modules does not fit {width_dots} dots of paper even at 1 dot per module")]
    TooWide { modules: u16, width_dots: u16 },
}

/// A job under construction for one profile.
#[derive(Debug)]
pub struct Layout<'p> {
    profile: &'p Profile,
    job: Job,
    current: Style,
}

impl<'p> Layout<'p> {
    /// Starts a job with the profile's code page selected.
    pub fn new(profile: &'p Profile) -> Layout<'p> {
        Layout {
            profile,
            job: Job::start(profile.code_page),
            current: Style::NORMAL,
        }
    }

    pub fn profile(&self) -> &Profile {
        self.profile
    }

    /// Returns the characters per line at `size`.
    pub fn columns(&self, size: TextSize) -> usize {
        usize::from(self.profile.chars_per_line.font_a / u16::from(size.width())).max(1)
    }

    /// Prints `text` word-wrapped to the line width; `\n` starts a new line.
    pub fn paragraph(&mut self, text: &str, style: Style) -> &mut Self {
        let lines = wrap(text, self.columns(style.size));
        for line in lines {
            self.print_line(&line, style);
        }
        self
    }

    /// Prints `text` on one line, cut with `...` when longer than the line.
    pub fn single_line(&mut self, text: &str, style: Style) -> &mut Self {
        let line = truncate(&cp866::normalize(text), self.columns(style.size));
        self.print_line(&line, style);
        self
    }

    /// Prints `text` on one line in the largest size from `largest` down to
    /// normal whose columns fit it, truncating only at normal size.
    pub fn fitted_line(&mut self, text: &str, largest: u8, style: Style) -> &mut Self {
        let len = cp866::normalize(text).chars().count();
        let fitting = (1..=largest.max(1))
            .rev()
            .find(|&n| self.columns(TextSize::new(n, n)) >= len)
            .unwrap_or(1);
        self.single_line(text, style.sized(fitting, fitting))
    }

    /// Prints a full-width line of `-`.
    pub fn rule(&mut self) -> &mut Self {
        let line = "-".repeat(self.columns(TextSize::NORMAL));
        self.print_line(&line, Style::NORMAL);
        self
    }

    /// Feeds `lines` empty lines.
    pub fn blank(&mut self, lines: u8) -> &mut Self {
        self.job.feed_lines(lines);
        self
    }

    /// Prints a centered Model 2 QR code of `data`: natively when the profile
    /// allows, otherwise as raster bands. The module size shrinks from the
    /// profile's when the code would not fit the paper.
    pub fn qr(
        &mut self,
        data: &str,
        correction: QrErrorCorrection,
    ) -> Result<&mut Self, QrLayoutError> {
        let bytes = data.as_bytes();
        let modules = raster::qr_modules(bytes, correction)
            .ok_or(QrLayoutError::NoVersion { len: bytes.len() })?;
        let total_modules = modules + 2 * raster::QR_QUIET_ZONE_MODULES;
        let module_dots = (1..=u16::from(self.profile.qr_module_dots))
            .rev()
            .find(|dots| total_modules * dots <= self.profile.width_dots)
            .ok_or(QrLayoutError::TooWide {
                modules,
                width_dots: self.profile.width_dots,
            })?;

        self.set_style(Style::CENTER);
        if self.profile.native_qr {
            let module_byte = u8::try_from(module_dots).expect("module size is at most 16");
            self.job.qr_native(bytes, module_byte, correction)?;
        } else {
            let bitmap = raster::qr_bitmap(bytes, module_dots, correction)
                .ok_or(QrLayoutError::NoVersion { len: bytes.len() })?;
            self.job.raster(&bitmap);
        }
        // Native QR and raster images end with the paper past the image, so
        // the next text starts on a fresh line.
        Ok(self)
    }

    /// Appends bytes of the selected code table as one line (test page).
    pub fn code_table_line(&mut self, label: &str, bytes: &[u8]) -> &mut Self {
        self.set_style(Style::NORMAL);
        self.job.text(label).code_table_bytes(bytes).line_feed();
        self
    }

    /// Ends the job: a cut when the printer has a cutter, otherwise a feed
    /// that brings the last line past the tear bar.
    pub fn finish(mut self) -> Job {
        self.set_style(Style::NORMAL);
        if self.profile.cutter {
            self.job.feed_lines(3).cut();
        } else {
            self.job.feed_lines(5);
        }
        self.job
    }

    fn print_line(&mut self, line: &str, style: Style) {
        self.set_style(style);
        self.job.text(line).line_feed();
    }

    /// Sends only the commands whose setting differs from the current one.
    fn set_style(&mut self, style: Style) {
        if style.align != self.current.align {
            self.job.align(style.align);
        }
        if style.size != self.current.size {
            self.job.size(style.size);
        }
        if style.bold != self.current.bold {
            self.job.bold(style.bold);
        }
        self.current = style;
    }
}

/// Wraps `text` at spaces into lines of at most `columns` cells, after
/// [`cp866::normalize`]. A word longer than a line is split; `\n` forces a
/// break and an empty input line stays empty.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let normalized = cp866::normalize(paragraph);
        let mut line = String::new();
        let mut line_len = 0;
        for word in normalized.split_whitespace() {
            let mut word: Vec<char> = word.chars().collect();
            if line_len > 0 && line_len + 1 + word.len() <= columns {
                line.push(' ');
                line.extend(&word);
                line_len += 1 + word.len();
                continue;
            }
            if line_len > 0 {
                lines.push(std::mem::take(&mut line));
            }
            while word.len() > columns {
                lines.push(word.drain(..columns).collect());
            }
            line = word.iter().collect();
            line_len = word.len();
        }
        lines.push(line);
    }
    lines
}

/// Cuts `line` to `columns` cells, ending in `...` when it was longer.
pub fn truncate(line: &str, columns: usize) -> String {
    let len = line.chars().count();
    if len <= columns {
        return line.to_owned();
    }
    if columns <= 3 {
        return line.chars().take(columns).collect();
    }
    let mut cut: String = line.chars().take(columns - 3).collect();
    cut.push_str("...");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_at_spaces() {
        assert_eq!(
            wrap("Сохраните талон до конца приёма", 16),
            ["Сохраните талон", "до конца приёма"]
        );
    }

    #[test]
    fn wrap_splits_long_word() {
        assert_eq!(wrap("АБВГДЕЁЖЗИЙ", 4), ["АБВГ", "ДЕЁЖ", "ЗИЙ"]);
    }

    #[test]
    fn wrap_measures_after_replacement() {
        assert_eq!(wrap("Цена 100 ₽", 9), ["Цена 100", "руб."]);
    }

    #[test]
    fn wrap_keeps_forced_breaks() {
        assert_eq!(wrap("а\n\nб", 10), ["а", "", "б"]);
    }

    #[test]
    fn truncate_marks_cut() {
        assert_eq!(truncate("Многофункциональный", 10), "Многофу...");
        assert_eq!(truncate("Да", 10), "Да");
        assert_eq!(truncate("АБВГ", 2), "АБ");
    }

    #[test]
    fn style_commands_only_on_change() {
        let profile = Profile::shipped("generic-80").unwrap();
        let mut layout = Layout::new(&profile);
        layout
            .paragraph("а", Style::CENTER)
            .paragraph("б", Style::CENTER)
            .paragraph("в", Style::NORMAL.bold());
        let job = layout.finish();
        assert_eq!(
            &job.as_bytes()[5..],
            [
                0x1B, 0x61, 1, 0xA0, 0x0A, 0xA1, 0x0A, 0x1B, 0x61, 0, 0x1B, 0x45, 1, 0xA2, 0x0A,
                0x1B, 0x45, 0, 0x1B, 0x64, 3, 0x1D, 0x56, 65, 0
            ]
        );
    }

    #[test]
    fn fitted_line_picks_largest_size() {
        let profile = Profile::shipped("generic-58").unwrap();
        let mut layout = Layout::new(&profile);
        layout.fitted_line("П-042", 4, Style::CENTER);
        // 32 / 4 = 8 columns fit five characters, so size 4 x 4 (0x33).
        assert_eq!(
            &layout.job.as_bytes()[5..11],
            [0x1B, 0x61, 1, 0x1D, 0x21, 0x33]
        );

        let mut layout = Layout::new(&profile);
        layout.fitted_line("ОЧЕНЬ-ДЛИННЫЙ-НОМЕР", 4, Style::CENTER);
        // 19 characters: only size 1 (32 columns) fits; no GS ! needed.
        assert_eq!(&layout.job.as_bytes()[5..8], [0x1B, 0x61, 1]);
        assert_eq!(layout.job.as_bytes()[8], 0x8E);
    }
}
