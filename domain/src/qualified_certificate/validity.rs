//! The validity rule: a certificate confirms identity only while it is
//! valid and will stay valid for at least [`MIN_DAYS_LEFT`] more days.

use jiff::{SignedDuration, Timestamp};

use super::error::CertificateError;

/// Minimum number of days a certificate must still be valid for, counted
/// from the moment of the check.
pub const MIN_DAYS_LEFT: i64 = 90;

const SECONDS_PER_DAY: i64 = 24 * 60 * 60;

/// Checks that `now` lies in `not_before..=not_after` and that `not_after`
/// is at least [`MIN_DAYS_LEFT`] days of 24 hours away.
pub fn check_validity(
    not_before: Timestamp,
    not_after: Timestamp,
    now: Timestamp,
) -> Result<(), CertificateError> {
    if now < not_before {
        return Err(CertificateError::NotYetValid { not_before });
    }
    if now > not_after {
        return Err(CertificateError::Expired { not_after });
    }

    let left: SignedDuration = now.duration_until(not_after);
    if left < SignedDuration::from_secs(MIN_DAYS_LEFT * SECONDS_PER_DAY) {
        return Err(CertificateError::ExpiresSoon {
            not_after,
            days_left: left.as_secs() / SECONDS_PER_DAY,
        });
    }
    Ok(())
}
