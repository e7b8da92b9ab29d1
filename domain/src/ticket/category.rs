//! The service categories a center queues visitors by, and the letter each
//! category's ticket numbers start with.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::Lang;
use crate::request::RequestKind;

/// A queue in the center, one per kind of visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCategory {
    /// Identity confirmation: prefix П («подтверждение»).
    IdentityConfirmation,
    /// Account registration: prefix Р («регистрация»).
    Registration,
    /// Access restoration: prefix В («восстановление»).
    RestoreAccess,
    /// Every other service of the center: prefix У («услуги»).
    OtherServices,
}

impl ServiceCategory {
    /// Every category, in the order the kiosk shows them.
    pub const ALL: [ServiceCategory; 4] = [
        ServiceCategory::IdentityConfirmation,
        ServiceCategory::Registration,
        ServiceCategory::RestoreAccess,
        ServiceCategory::OtherServices,
    ];

    /// Returns the Cyrillic capital letter that starts this category's
    /// ticket numbers.
    pub fn prefix(self) -> char {
        match self {
            ServiceCategory::IdentityConfirmation => 'П',
            ServiceCategory::Registration => 'Р',
            ServiceCategory::RestoreAccess => 'В',
            ServiceCategory::OtherServices => 'У',
        }
    }

    /// Returns the category whose prefix is `letter` (a Cyrillic capital).
    pub fn from_prefix(letter: char) -> Option<ServiceCategory> {
        ServiceCategory::ALL
            .into_iter()
            .find(|category| category.prefix() == letter)
    }

    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            ServiceCategory::IdentityConfirmation => "identity_confirmation",
            ServiceCategory::Registration => "registration",
            ServiceCategory::RestoreAccess => "restore_access",
            ServiceCategory::OtherServices => "other_services",
        }
    }

    /// Returns the name a visitor reads on the kiosk, the ticket and the hall
    /// display.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ServiceCategory::IdentityConfirmation, Lang::Ru) => "Подтверждение личности",
            (ServiceCategory::IdentityConfirmation, Lang::En) => "Identity confirmation",
            (ServiceCategory::Registration, Lang::Ru) => "Регистрация на Госуслугах",
            (ServiceCategory::Registration, Lang::En) => "Gosuslugi registration",
            (ServiceCategory::RestoreAccess, Lang::Ru) => "Восстановление доступа",
            (ServiceCategory::RestoreAccess, Lang::En) => "Access restoration",
            (ServiceCategory::OtherServices, Lang::Ru) => "Другие услуги",
            (ServiceCategory::OtherServices, Lang::En) => "Other services",
        }
    }
}

impl From<RequestKind> for ServiceCategory {
    fn from(kind: RequestKind) -> Self {
        match kind {
            RequestKind::ConfirmIdentity => ServiceCategory::IdentityConfirmation,
            RequestKind::Register => ServiceCategory::Registration,
            RequestKind::RestoreAccess => ServiceCategory::RestoreAccess,
        }
    }
}

impl fmt::Display for ServiceCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
