//! Random secrets and their stored forms: device keys, enrollment tokens,
//! session tokens, code hashes and password hashes.
//!
//! Tokens are stored only as SHA-256 hashes, since they are long random
//! values; passwords are stored as argon2id PHC strings. Device keys are
//! stored as they are, because the server needs them to check MACs.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rand::Rng;
use sha2::{Digest, Sha256};

/// Returns `bytes` random bytes from the thread's CSPRNG (seeded by the OS).
pub fn random_bytes(bytes: usize) -> Vec<u8> {
    let mut buffer = vec![0_u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    buffer
}

/// Returns a random token as lowercase hex, `bytes` long before encoding.
pub fn random_token(bytes: usize) -> String {
    hex::encode(random_bytes(bytes))
}

/// Returns the lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Hashes a password with argon2id and a fresh salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| format!("hashing the password failed: {err}"))
}

/// Checks a password against a stored PHC string; a malformed stored hash
/// fails like a wrong password.
pub fn verify_password(password: &str, stored: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let stored = hash_password("Vx7#kPq9!m").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify_password("Vx7#kPq9!m", &stored));
        assert!(!verify_password("Vx7#kPq9!n", &stored));
        assert!(!verify_password("Vx7#kPq9!m", "not a hash"));
    }
}
