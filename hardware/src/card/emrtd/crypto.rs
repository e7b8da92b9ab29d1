//! The 3DES primitives of Basic Access Control and its secure messaging
//! (ICAO 9303 Part 11): key derivation from a seed,
//! two-key 3DES in CBC mode with a zero IV, ISO 9797-1 padding method 2 and
//! the retail MAC (ISO 9797-1 MAC algorithm 3 with DES).
//!
//! AES secure messaging (after PACE or Chip Authentication) is not here:
//! Okno's readers speak BAC only.

use des::cipher::generic_array::GenericArray;
use des::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use des::{Des, TdesEde2};
use sha1::{Digest, Sha1};

/// A two-key 3DES key (Ka || Kb) with DES parity bits set.
pub type Key16 = [u8; 16];

const BLOCK: usize = 8;

/// Derives a key from a 16-byte seed: SHA-1 of seed || counter, first 16
/// bytes, odd parity in every byte. Counter 1 gives the encryption key,
/// counter 2 the MAC key.
pub fn derive_key(seed: &[u8; 16], counter: u32) -> Key16 {
    let mut hasher = Sha1::new();
    hasher.update(seed);
    hasher.update(counter.to_be_bytes());
    let digest = hasher.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    for byte in &mut key {
        *byte = with_odd_parity(*byte);
    }
    key
}

/// Sets the least significant bit so the byte has an odd number of ones.
fn with_odd_parity(byte: u8) -> u8 {
    let high = byte & 0xFE;
    if high.count_ones() % 2 == 0 {
        high | 1
    } else {
        high
    }
}

/// Computes the BAC key seed: the first 16 bytes of SHA-1 over the MRZ text.
pub fn key_seed(mrz_text: &str) -> [u8; 16] {
    let digest = Sha1::digest(mrz_text.as_bytes());
    let mut seed = [0u8; 16];
    seed.copy_from_slice(&digest[..16]);
    seed
}

/// Appends ISO 9797-1 padding method 2: `80`, then zeros to a whole block.
pub fn pad(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + BLOCK);
    out.extend_from_slice(data);
    out.push(0x80);
    while out.len() % BLOCK != 0 {
        out.push(0);
    }
    out
}

/// Removes ISO 9797-1 padding method 2; `None` when it is malformed.
pub fn unpad(data: &[u8]) -> Option<&[u8]> {
    let end = data.iter().rposition(|&byte| byte != 0)?;
    (data[end] == 0x80).then(|| &data[..end])
}

fn tdes(key: &Key16) -> TdesEde2 {
    TdesEde2::new(GenericArray::from_slice(key))
}

/// Encrypts whole blocks with 3DES-CBC and a zero IV.
///
/// # Panics
///
/// When `data` is not a multiple of 8 bytes; callers pad first.
pub fn encrypt_cbc(key: &Key16, data: &[u8]) -> Vec<u8> {
    assert!(
        data.len() % BLOCK == 0,
        "3DES-CBC input must be padded to whole blocks"
    );
    let cipher = tdes(key);
    let mut chain = [0u8; BLOCK];
    let mut out = Vec::with_capacity(data.len());
    for block in data.chunks(BLOCK) {
        for (c, b) in chain.iter_mut().zip(block) {
            *c ^= b;
        }
        cipher.encrypt_block(GenericArray::from_mut_slice(&mut chain));
        out.extend_from_slice(&chain);
    }
    out
}

/// Decrypts 3DES-CBC with a zero IV; `None` when `data` is not whole blocks.
pub fn decrypt_cbc(key: &Key16, data: &[u8]) -> Option<Vec<u8>> {
    if data.len() % BLOCK != 0 {
        return None;
    }
    let cipher = tdes(key);
    let mut previous = [0u8; BLOCK];
    let mut out = Vec::with_capacity(data.len());
    for block in data.chunks(BLOCK) {
        let mut plain = [0u8; BLOCK];
        plain.copy_from_slice(block);
        cipher.decrypt_block(GenericArray::from_mut_slice(&mut plain));
        for (p, c) in plain.iter_mut().zip(previous) {
            *p ^= c;
        }
        out.extend_from_slice(&plain);
        previous.copy_from_slice(block);
    }
    Some(out)
}

/// Computes the retail MAC (ISO 9797-1 MAC algorithm 3, DES, padding
/// method 2) of `data`: single-DES CBC with Ka over every block, then the
/// last block decrypted with Kb and encrypted with Ka again.
pub fn retail_mac(key: &Key16, data: &[u8]) -> [u8; 8] {
    let ka = Des::new(GenericArray::from_slice(&key[..8]));
    let kb = Des::new(GenericArray::from_slice(&key[8..]));
    let mut chain = GenericArray::from([0u8; BLOCK]);
    for block in pad(data).chunks(BLOCK) {
        for (c, b) in chain.iter_mut().zip(block) {
            *c ^= b;
        }
        ka.encrypt_block(&mut chain);
    }
    kb.decrypt_block(&mut chain);
    ka.encrypt_block(&mut chain);
    chain.into()
}

/// Compares two MACs without an early exit on the first differing byte.
pub fn macs_equal(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::hex;

    // ICAO 9303 Part 11, Appendix D.2 and D.3.
    #[test]
    fn appendix_d_key_derivation() {
        let seed = key_seed("L898902C<369080619406236");
        assert_eq!(hex::encode(&seed), "239AB9CB282DAF66231DC5A4DF6BFBAE");
        assert_eq!(
            hex::encode(&derive_key(&seed, 1)),
            "AB94FDECF2674FDFB9B391F85D7F76F2"
        );
        assert_eq!(
            hex::encode(&derive_key(&seed, 2)),
            "7962D9ECE03D1ACD4C76089DCE131543"
        );
    }

    #[test]
    fn appendix_d_external_authenticate_cryptogram() {
        let kenc: Key16 = hex::decode("AB94FDECF2674FDFB9B391F85D7F76F2")
            .try_into()
            .unwrap();
        let kmac: Key16 = hex::decode("7962D9ECE03D1ACD4C76089DCE131543")
            .try_into()
            .unwrap();
        let s = hex::decode("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
        let eifd = encrypt_cbc(&kenc, &s);
        assert_eq!(
            hex::encode(&eifd),
            "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
        );
        assert_eq!(hex::encode(&retail_mac(&kmac, &eifd)), "5F1448EEA8AD90A7");
        assert_eq!(decrypt_cbc(&kenc, &eifd).unwrap(), s);
    }

    #[test]
    fn padding_round_trips() {
        assert_eq!(pad(&[1, 2]), vec![1, 2, 0x80, 0, 0, 0, 0, 0]);
        assert_eq!(pad(&[0; 8]).len(), 16);
        assert_eq!(unpad(&[1, 2, 0x80, 0, 0, 0, 0, 0]), Some(&[1u8, 2][..]));
        assert_eq!(unpad(&[1, 2, 0, 0]), None);
        assert_eq!(unpad(&[0, 0]), None);
    }

    #[test]
    fn parity_is_odd() {
        assert_eq!(with_odd_parity(0x00), 0x01);
        assert_eq!(with_odd_parity(0x01), 0x01);
        assert_eq!(with_odd_parity(0xFF), 0xFE);
    }
}
