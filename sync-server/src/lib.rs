//! Okno sync server library.
