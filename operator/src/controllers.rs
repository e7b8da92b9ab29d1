//! One controller per screen. Each `setup` connects its adapter's callbacks
//! to the console state; rendering functions fill the adapter's properties.

pub(crate) mod login;
pub(crate) mod queue;
pub(crate) mod request;
