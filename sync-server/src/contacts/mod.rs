//! Contact confirmation by one-time codes: the kiosk requests a code to the
//! visitor's phone or e-mail for a registration request, the server sends
//! it through a [`gateway::Gateway`] and later checks what the visitor
//! typed.
//!
//! - [`config`]: the settings file (limits, retries, gateways).
//! - [`gateway`]: the delivery interface and the retry loop.
//! - [`smtp`], [`sms`]: the two real gateways.
//! - [`text`]: the message texts.
//!
//! The code rules come from `domain::one_time_code`; storing the code's
//! hash and state and counting sends for the rate limits is the store's.

pub mod config;
pub mod gateway;
pub mod sms;
pub mod smtp;
pub mod text;

use std::sync::Arc;

use domain::one_time_code::OneTimeCodePolicy;
use domain::sync::ContactKind;

use config::{ContactsConfig, DeliveryPolicy, Limits};
use gateway::Gateway;

/// Settings and gateways of the contact endpoints: limits, retry policy
/// and a gateway per kind of contact.
pub struct ContactService {
    pub limits: Limits,
    pub delivery: DeliveryPolicy,
    pub policy: OneTimeCodePolicy,
    /// Refuse registration requests whose contacts were not confirmed.
    pub require_for_registration: bool,
    pub sms: Option<Arc<dyn Gateway>>,
    pub email: Option<Arc<dyn Gateway>>,
}

impl ContactService {
    /// Builds the gateways named in `config`.
    ///
    /// # Errors
    ///
    /// A gateway cannot be built (see [`smtp::SmtpGateway::new`] and
    /// [`sms::SmsGateway::new`]).
    pub fn from_config(config: &ContactsConfig) -> Result<Self, config::ConfigError> {
        let timeout = config.delivery.timeout();
        let email = match &config.smtp {
            Some(smtp) => {
                Some(Arc::new(smtp::SmtpGateway::new(smtp, timeout)?) as Arc<dyn Gateway>)
            }
            None => None,
        };
        let sms = match &config.sms {
            Some(sms) => Some(Arc::new(sms::SmsGateway::new(sms, timeout)?) as Arc<dyn Gateway>),
            None => None,
        };
        Ok(ContactService {
            limits: config.limits,
            delivery: config.delivery,
            policy: OneTimeCodePolicy::default(),
            require_for_registration: config.require_for_registration,
            sms,
            email,
        })
    }

    /// Returns the gateway for `kind`, if one is configured.
    pub fn gateway(&self, kind: ContactKind) -> Option<&Arc<dyn Gateway>> {
        match kind {
            ContactKind::Phone => self.sms.as_ref(),
            ContactKind::Email => self.email.as_ref(),
        }
    }
}
