//! Okno's Slint screens and their Russian and English translations.

slint::include_modules!();
