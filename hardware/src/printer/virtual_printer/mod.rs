//! The virtual printer: decodes the ESC/POS subset Okno emits and renders
//! each job to a PNG, for layout previews, the demo and tests.
//!
//! Text is drawn with DejaVu Sans Mono (Debian package `fonts-dejavu-core`),
//! found through `OKNO_PRINTER_FONT`, then `fc-match`, then its usual
//! path. It decodes only what Okno sends: see `decode` for the subset.

pub mod decode;
pub mod render;

use std::fs::OpenOptions;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::process::Command;

use ab_glyph::FontVec;
use image::GrayImage;

use crate::printer::profile::Profile;

pub use decode::{decode, DecodeError, Item, Page, Span};
pub use render::Fonts;

/// Environment variable naming a TrueType font file for regular text.
pub const FONT_ENV: &str = "OKNO_PRINTER_FONT";
/// Environment variable naming a TrueType font file for bold text.
pub const BOLD_FONT_ENV: &str = "OKNO_PRINTER_FONT_BOLD";

const DEJAVU_DIR: &str = "/usr/share/fonts/truetype/dejavu";

/// A failure of the virtual printer.
#[derive(Debug, thiserror::Error)]
pub enum VirtualError {
    #[error(
        "no monospace font for the virtual printer: install the Debian package fonts-dejavu-core \
         (DejaVu Sans Mono) or set {FONT_ENV} to a TrueType file"
    )]
    FontMissing,
    #[error("font file {path} is not a usable TrueType font; set {FONT_ENV} to another file")]
    FontInvalid { path: PathBuf },
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("failed to write preview in {dir}: {source}")]
    Write { dir: PathBuf, source: io::Error },
}

/// Renders jobs for one profile into PNG files in a directory.
pub struct VirtualPrinter {
    profile: Profile,
    dir: PathBuf,
    fonts: Fonts,
}

impl VirtualPrinter {
    /// Prepares `dir` (creating it) and loads the fonts.
    pub fn new(profile: Profile, dir: PathBuf) -> io::Result<VirtualPrinter> {
        std::fs::create_dir_all(&dir)?;
        let fonts =
            load_fonts().map_err(|err| io::Error::new(ErrorKind::NotFound, err.to_string()))?;
        Ok(VirtualPrinter {
            profile,
            dir,
            fonts,
        })
    }

    /// Decodes and renders one job, and returns the PNG's path:
    /// `job-0001.png`, `job-0002.png`... in the directory, never overwriting.
    pub fn print(&self, bytes: &[u8]) -> Result<PathBuf, VirtualError> {
        let image = render_job(bytes, &self.profile, &self.fonts)?;
        let write_error = |source| VirtualError::Write {
            dir: self.dir.clone(),
            source,
        };
        let path = claim_next_file(&self.dir).map_err(write_error)?;
        image
            .save_with_format(&path, image::ImageFormat::Png)
            .map_err(|err| write_error(io::Error::other(err)))?;
        Ok(path)
    }
}

/// Decodes and renders one job.
pub fn render_job(
    bytes: &[u8],
    profile: &Profile,
    fonts: &Fonts,
) -> Result<GrayImage, VirtualError> {
    let page = decode(bytes, profile)?;
    Ok(render::render(&page, profile, fonts))
}

/// Loads the regular and, when found, the bold monospace font.
pub fn load_fonts() -> Result<Fonts, VirtualError> {
    let regular_path = find_font(
        FONT_ENV,
        "DejaVu Sans Mono:style=Book",
        "DejaVuSansMono.ttf",
    )
    .ok_or(VirtualError::FontMissing)?;
    let regular = read_font(&regular_path)?;
    let bold = match find_font(
        BOLD_FONT_ENV,
        "DejaVu Sans Mono:style=Bold",
        "DejaVuSansMono-Bold.ttf",
    ) {
        Some(path) => Some(read_font(&path)?),
        None => None,
    };
    Ok(Fonts { regular, bold })
}

fn read_font(path: &Path) -> Result<FontVec, VirtualError> {
    let invalid = || VirtualError::FontInvalid {
        path: path.to_owned(),
    };
    let bytes = std::fs::read(path).map_err(|_| invalid())?;
    FontVec::try_from_vec(bytes).map_err(|_| invalid())
}

/// Finds a font: the file in `env`, else what `fc-match pattern` returns if
/// it is `file_name`, else `file_name` in Debian's DejaVu directory.
fn find_font(env: &str, pattern: &str, file_name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path));
    }
    // fc-match always returns some font, so accept only the one asked for.
    let matched = Command::new("fc-match")
        .args(["--format=%{file}", pattern])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| PathBuf::from(String::from_utf8_lossy(&output.stdout).into_owned()))
        .filter(|path| path.file_name().is_some_and(|name| name == file_name) && path.is_file());
    matched.or_else(|| {
        let path = Path::new(DEJAVU_DIR).join(file_name);
        path.is_file().then_some(path)
    })
}

/// Creates the next free `job-NNNN.png` in `dir` and returns its path.
fn claim_next_file(dir: &Path) -> io::Result<PathBuf> {
    let existing = std::fs::read_dir(dir)?.count();
    let mut number = existing + 1;
    loop {
        let path = dir.join(format!("job-{number:04}.png"));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => return Ok(path),
            Err(err) if err.kind() == ErrorKind::AlreadyExists => number += 1,
            Err(err) => return Err(err),
        }
    }
}
