//! Okno's Slint screens and their Russian and English translations, shared
//! by the kiosk and the operator console.
//!
//! TODO: the Slint sources land with the kiosk screens; until then this
//! crate only reserves its place in the workspace.
