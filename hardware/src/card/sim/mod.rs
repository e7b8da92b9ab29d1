//! The virtual eMRTD chip: a BAC passport with EF.COM, DG1, DG2 and an
//! EF.SOD signed under a test CSCA, in-process or connected to vpcd.
//!
//! - [`profile`]: the chip's contents and how it caps replies.
//! - [`issuer`]: the test CSCA and document signer.
//! - [`chip`]: the APDU state machine.
//! - [`vpcd`]: the vpcd client that puts the chip into a PC/SC reader.

pub mod chip;
pub mod issuer;
pub mod profile;
pub mod vpcd;

pub use chip::VirtualChip;
pub use issuer::TestIssuer;
pub use profile::{ChipProfile, PassportFields};
pub mod rig;
