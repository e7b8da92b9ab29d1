//! Printer profiles: what a printer model can do, read from TOML.
//!
//! A profile gives the paper width in dots, characters per line for each
//! font, the code page table number that selects CP866 (`ESC t n`), and
//! whether the printer has native QR (`GS ( k`) and a cutter. Three profiles
//! ship with Okno ([`SHIPPED`]); a site can load its own from a file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Shipped profiles as (name, TOML text).
pub const SHIPPED: [(&str, &str); 3] = [
    ("generic-58", include_str!("profiles/generic-58.toml")),
    ("generic-80", include_str!("profiles/generic-80.toml")),
    ("epson-tm-t20", include_str!("profiles/epson-tm-t20.toml")),
];

/// Width of a font A character cell in dots, shared by the ESC/POS printers
/// Okno supports; font A cells are 12 x 24 dots.
pub const FONT_A_CELL_DOTS: u16 = 12;

/// Capabilities of one printer model.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub description: String,
    /// Printable width in dots (8 dots per mm at 203 dpi).
    pub width_dots: u16,
    /// Code page table number `n` in `ESC t n` that selects CP866.
    pub code_page: u8,
    /// Whether the printer prints QR codes itself (`GS ( k`); otherwise the
    /// QR code goes out as a raster image (`GS v 0`).
    pub native_qr: bool,
    /// Whether the printer has an autocutter (`GS V`); otherwise the job ends
    /// by feeding the paper past the tear bar.
    pub cutter: bool,
    /// QR module size in dots; layouts shrink it when a code would not fit.
    pub qr_module_dots: u8,
    pub chars_per_line: CharsPerLine,
}

/// Characters per line in each built-in font at normal size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharsPerLine {
    pub font_a: u16,
    pub font_b: u16,
}

/// A profile that could not be found, read or accepted.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("printer profile {name:?} not found; shipped profiles: {shipped}; or give a path to a .toml file")]
    NotFound { name: String, shipped: String },
    #[error("failed to read printer profile {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("printer profile {origin} is not valid TOML for a profile: {source}")]
    Parse {
        origin: String,
        source: Box<toml::de::Error>,
    },
    #[error("printer profile {origin}: {field} = {value} is invalid; expected {expected}")]
    Invalid {
        origin: String,
        field: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl Profile {
    /// Loads a shipped profile by name.
    pub fn shipped(name: &str) -> Result<Profile, ProfileError> {
        let (_, text) = SHIPPED
            .iter()
            .find(|(shipped, _)| *shipped == name)
            .ok_or_else(|| ProfileError::NotFound {
                name: name.to_owned(),
                shipped: SHIPPED.map(|(name, _)| name).join(", "),
            })?;
        Profile::from_toml(text, &format!("{name:?} (shipped)"))
    }

    /// Loads a profile from a TOML file.
    pub fn from_file(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read {
            path: path.to_owned(),
            source,
        })?;
        Profile::from_toml(&text, &path.display().to_string())
    }

    /// Loads `name_or_path`: a path when it contains `/` or ends in `.toml`,
    /// otherwise a shipped profile's name.
    pub fn load(name_or_path: &str) -> Result<Profile, ProfileError> {
        if name_or_path.contains('/') || name_or_path.ends_with(".toml") {
            Profile::from_file(Path::new(name_or_path))
        } else {
            Profile::shipped(name_or_path)
        }
    }

    /// Parses and checks a profile; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Profile, ProfileError> {
        let profile: Profile = toml::from_str(text).map_err(|source| ProfileError::Parse {
            origin: origin.to_owned(),
            source: Box::new(source),
        })?;
        profile.check(origin)?;
        Ok(profile)
    }

    fn check(&self, origin: &str) -> Result<(), ProfileError> {
        let invalid = |field, value: String, expected| ProfileError::Invalid {
            origin: origin.to_owned(),
            field,
            value,
            expected,
        };
        if self.width_dots == 0 || self.width_dots % 8 != 0 || self.width_dots > 832 {
            return Err(invalid(
                "width_dots",
                self.width_dots.to_string(),
                "a multiple of 8 from 8 to 832 (384 for 58 mm, 576 for 80 mm paper)",
            ));
        }
        let font_a = self.chars_per_line.font_a;
        if font_a == 0 || font_a * FONT_A_CELL_DOTS > self.width_dots {
            return Err(invalid(
                "chars_per_line.font_a",
                font_a.to_string(),
                "1 or more, and at most width_dots / 12",
            ));
        }
        if self.chars_per_line.font_b == 0 {
            return Err(invalid(
                "chars_per_line.font_b",
                self.chars_per_line.font_b.to_string(),
                "1 or more",
            ));
        }
        if !(1..=16).contains(&self.qr_module_dots) {
            return Err(invalid(
                "qr_module_dots",
                self.qr_module_dots.to_string(),
                "1 to 16",
            ));
        }
        Ok(())
    }

    /// Width of one font A character cell in dots, as the printer spaces
    /// characters across the line.
    pub fn cell_width_dots(&self) -> u16 {
        self.width_dots / self.chars_per_line.font_a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_profiles_load() {
        let narrow = Profile::shipped("generic-58").unwrap();
        assert_eq!(narrow.width_dots, 384);
        assert_eq!(narrow.chars_per_line.font_a, 32);
        assert!(!narrow.native_qr);
        assert!(!narrow.cutter);

        let wide = Profile::shipped("generic-80").unwrap();
        assert_eq!(wide.width_dots, 576);
        assert_eq!(wide.chars_per_line.font_a, 48);
        assert!(wide.native_qr);

        let epson = Profile::load("epson-tm-t20").unwrap();
        assert_eq!(epson.code_page, 17);
        assert!(epson.cutter);
        assert_eq!(epson.cell_width_dots(), 12);
    }

    #[test]
    fn unknown_name_lists_shipped() {
        let err = Profile::load("zebra").unwrap_err();
        assert_eq!(
            err.to_string(),
            "printer profile \"zebra\" not found; shipped profiles: generic-58, generic-80, epson-tm-t20; or give a path to a .toml file"
        );
    }

    #[test]
    fn load_reads_file() {
        let dir = std::env::temp_dir().join(format!("okno-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("custom.toml");
        let text = SHIPPED[1].1.replace("code_page = 17", "code_page = 59");
        std::fs::write(&path, text).unwrap();
        let profile = Profile::load(path.to_str().unwrap()).unwrap();
        assert_eq!(profile.code_page, 59);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn invalid_width_names_field() {
        let text = SHIPPED[0].1.replace("width_dots = 384", "width_dots = 380");
        let err = Profile::from_toml(&text, "test.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "printer profile test.toml: width_dots = 380 is invalid; expected a multiple of 8 from 8 to 832 (384 for 58 mm, 576 for 80 mm paper)"
        );
    }

    #[test]
    fn too_many_columns_rejected() {
        let text = SHIPPED[0].1.replace("font_a = 32", "font_a = 48");
        let err = Profile::from_toml(&text, "test.toml").unwrap_err();
        assert!(matches!(
            err,
            ProfileError::Invalid {
                field: "chars_per_line.font_a",
                ..
            }
        ));
    }

    #[test]
    fn unknown_key_rejected() {
        let text = format!(
            "{}\nspeed = 5\n",
            SHIPPED[0]
                .1
                .replace("[chars_per_line]", "speed = 5\n[chars_per_line]")
        );
        let err = Profile::from_toml(&text, "test.toml").unwrap_err();
        assert!(matches!(err, ProfileError::Parse { .. }), "{err}");
    }
}
