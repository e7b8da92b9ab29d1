//! Basic Access Control (ICAO 9303 Part 11): keys from the
//! MRZ, then GET CHALLENGE (`00 84 00 00 08`) and EXTERNAL AUTHENTICATE
//! (`00 82 00 00 28`, the mutual authentication) that yield the session
//! keys and the starting SSC.
//!
//! Both sides live here: [`authenticate`] for the reader and
//! [`ChipBac`] for the virtual chip. PACE is not implemented; a chip that
//! offers only PACE cannot be read.

use domain::mrz::BacInput;

use super::crypto::{self, Key16};
use super::sm::SecureChannel;
use crate::card::apdu::{Command, Response};
use crate::card::status::{StatusError, StatusWord};
use crate::card::transport::{exchange, Transport, TransportError};

/// The document access keys derived from the MRZ.
pub struct AccessKeys {
    pub enc: Key16,
    pub mac: Key16,
}

impl AccessKeys {
    pub fn from_input(input: &BacInput) -> Self {
        let seed = crypto::key_seed(&input.key_seed_text());
        AccessKeys {
            enc: crypto::derive_key(&seed, 1),
            mac: crypto::derive_key(&seed, 2),
        }
    }
}

/// Failure of Basic Access Control.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BacError {
    /// The chip rejected EXTERNAL AUTHENTICATE: the MRZ data was wrong.
    #[error("chip rejected the access key ({0})")]
    Refused(StatusWord),
    /// The chip's response did not verify with the reader's keys.
    #[error("chip's authentication cryptogram did not verify")]
    ChipNotAuthenticated,
    /// GET CHALLENGE failed: the chip may not support BAC.
    #[error("GET CHALLENGE failed: {0}")]
    Challenge(StatusError),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// Random values the reader contributes: RND.IFD and K.IFD.
pub struct ReaderNonces {
    pub rnd_ifd: [u8; 8],
    pub k_ifd: [u8; 16],
}

impl ReaderNonces {
    /// Draws fresh nonces from the operating system.
    pub fn random() -> Self {
        use rand_core::{OsRng, RngCore};
        let mut nonces = ReaderNonces {
            rnd_ifd: [0; 8],
            k_ifd: [0; 16],
        };
        OsRng.fill_bytes(&mut nonces.rnd_ifd);
        OsRng.fill_bytes(&mut nonces.k_ifd);
        nonces
    }
}

/// Derives session keys and SSC from the two key halves and nonces.
fn session(k_ifd: &[u8; 16], k_ic: &[u8], rnd_ic: &[u8], rnd_ifd: &[u8]) -> SecureChannel {
    let mut seed = [0u8; 16];
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = k_ifd[i] ^ k_ic[i];
    }
    let mut ssc = [0u8; 8];
    ssc[..4].copy_from_slice(&rnd_ic[4..8]);
    ssc[4..].copy_from_slice(&rnd_ifd[4..8]);
    SecureChannel::new(
        crypto::derive_key(&seed, 1),
        crypto::derive_key(&seed, 2),
        ssc,
    )
}

/// Runs BAC as the reader and returns the secure channel.
pub fn authenticate(
    transport: &mut dyn Transport,
    keys: &AccessKeys,
    nonces: &ReaderNonces,
) -> Result<SecureChannel, BacError> {
    let challenge = exchange(transport, &Command::new(0x00, 0x84, 0x00, 0x00).with_ne(8))?;
    challenge.status.check().map_err(BacError::Challenge)?;
    if challenge.data.len() != 8 {
        return Err(BacError::Transport(TransportError::Malformed(format!(
            "GET CHALLENGE returned {} bytes, expected 8",
            challenge.data.len()
        ))));
    }
    let rnd_ic = challenge.data;

    let mut s = Vec::with_capacity(32);
    s.extend_from_slice(&nonces.rnd_ifd);
    s.extend_from_slice(&rnd_ic);
    s.extend_from_slice(&nonces.k_ifd);
    let e_ifd = crypto::encrypt_cbc(&keys.enc, &s);
    let m_ifd = crypto::retail_mac(&keys.mac, &e_ifd);
    let mut data = e_ifd;
    data.extend_from_slice(&m_ifd);

    let answer = exchange(
        transport,
        &Command::new(0x00, 0x82, 0x00, 0x00)
            .with_data(data)
            .with_ne(0x28),
    )?;
    if !answer.status.is_success() {
        return Err(BacError::Refused(answer.status));
    }
    if answer.data.len() != 40 {
        return Err(BacError::ChipNotAuthenticated);
    }
    let (e_ic, m_ic) = answer.data.split_at(32);
    if !crypto::macs_equal(&crypto::retail_mac(&keys.mac, e_ic), m_ic) {
        return Err(BacError::ChipNotAuthenticated);
    }
    let r = crypto::decrypt_cbc(&keys.enc, e_ic).ok_or(BacError::ChipNotAuthenticated)?;
    if r[..8] != rnd_ic[..] || r[8..16] != nonces.rnd_ifd {
        return Err(BacError::ChipNotAuthenticated);
    }
    Ok(session(&nonces.k_ifd, &r[16..32], &rnd_ic, &nonces.rnd_ifd))
}

/// The chip's half of BAC, for the virtual chip.
pub struct ChipBac {
    keys: AccessKeys,
    rnd_ic: Option<[u8; 8]>,
    k_ic: [u8; 16],
}

impl ChipBac {
    pub fn new(keys: AccessKeys, k_ic: [u8; 16]) -> Self {
        ChipBac {
            keys,
            rnd_ic: None,
            k_ic,
        }
    }

    /// Answers GET CHALLENGE with a fresh RND.IC.
    pub fn challenge(&mut self, rnd_ic: [u8; 8]) -> Response {
        self.rnd_ic = Some(rnd_ic);
        Response::new(rnd_ic.to_vec(), StatusWord::SUCCESS)
    }

    /// Answers EXTERNAL AUTHENTICATE; on success returns the response and
    /// the chip's secure channel. A wrong MAC or nonce gives `6300`
    /// (authentication failed), as real chips do.
    pub fn external_authenticate(&mut self, data: &[u8]) -> (Response, Option<SecureChannel>) {
        let refused = (Response::new(vec![], StatusWord(0x6300)), None);
        let Some(rnd_ic) = self.rnd_ic.take() else {
            return (Response::new(vec![], StatusWord(0x6985)), None);
        };
        if data.len() != 40 {
            return (Response::new(vec![], StatusWord(0x6700)), None);
        }
        let (e_ifd, m_ifd) = data.split_at(32);
        if !crypto::macs_equal(&crypto::retail_mac(&self.keys.mac, e_ifd), m_ifd) {
            return refused;
        }
        let Some(s) = crypto::decrypt_cbc(&self.keys.enc, e_ifd) else {
            return refused;
        };
        if s[8..16] != rnd_ic {
            return refused;
        }
        let rnd_ifd = &s[..8];
        let mut k_ifd = [0u8; 16];
        k_ifd.copy_from_slice(&s[16..32]);

        let mut r = Vec::with_capacity(32);
        r.extend_from_slice(&rnd_ic);
        r.extend_from_slice(rnd_ifd);
        r.extend_from_slice(&self.k_ic);
        let e_ic = crypto::encrypt_cbc(&self.keys.enc, &r);
        let m_ic = crypto::retail_mac(&self.keys.mac, &e_ic);
        let mut answer = e_ic;
        answer.extend_from_slice(&m_ic);
        let channel = session(&k_ifd, &self.k_ic, &rnd_ic, rnd_ifd);
        (Response::new(answer, StatusWord::SUCCESS), Some(channel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::hex;
    use domain::mrz::BacInput;

    fn appendix_d_input() -> BacInput {
        BacInput::parse_triple("L898902C,690806,940623").unwrap()
    }

    fn appendix_d_nonces() -> ReaderNonces {
        ReaderNonces {
            rnd_ifd: hex::decode("781723860C06C226").try_into().unwrap(),
            k_ifd: hex::decode("0B795240CB7049B01C19B33E32804F0B")
                .try_into()
                .unwrap(),
        }
    }

    /// Replays the chip's side of ICAO 9303 Part 11 Appendix D.3.
    struct AppendixDChip {
        sent: Vec<String>,
    }

    impl Transport for AppendixDChip {
        fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.sent.push(hex::encode(command));
            Ok(match self.sent.len() {
                1 => hex::decode("4608F91988702212 9000"),
                _ => hex::decode(
                    "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449 9000",
                ),
            })
        }
    }

    #[test]
    fn appendix_d_mutual_authentication() {
        let keys = AccessKeys::from_input(&appendix_d_input());
        assert_eq!(hex::encode(&keys.enc), "AB94FDECF2674FDFB9B391F85D7F76F2");
        assert_eq!(hex::encode(&keys.mac), "7962D9ECE03D1ACD4C76089DCE131543");

        let mut chip = AppendixDChip { sent: Vec::new() };
        let channel = authenticate(&mut chip, &keys, &appendix_d_nonces()).unwrap();
        assert_eq!(
            chip.sent,
            [
                "0084000008".to_owned(),
                "0082000028\
                 72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2\
                 5F1448EEA8AD90A728"
                    .to_owned(),
            ]
        );
        assert_eq!(hex::encode(&channel.ssc()), "887022120C06C226");
    }

    #[test]
    fn appendix_d_chip_answer() {
        let keys = AccessKeys::from_input(&appendix_d_input());
        let mut chip = ChipBac::new(
            keys,
            hex::decode("0B4F80323EB3191CB04970CB4052790B")
                .try_into()
                .unwrap(),
        );
        chip.challenge(hex::decode("4608F91988702212").try_into().unwrap());
        let (response, channel) = chip.external_authenticate(&hex::decode(
            "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7",
        ));
        assert_eq!(
            hex::encode(&response.data),
            "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
        );
        assert_eq!(hex::encode(&channel.unwrap().ssc()), "887022120C06C226");
    }

    #[test]
    fn wrong_mrz_is_refused() {
        let chip_keys = AccessKeys::from_input(&appendix_d_input());
        let mut chip = ChipBac::new(chip_keys, [7; 16]);
        chip.challenge([1; 8]);
        let wrong =
            AccessKeys::from_input(&BacInput::parse_triple("L898902C,690807,940623").unwrap());
        let mut s = vec![2u8; 8];
        s.extend([1; 8]);
        s.extend([3; 16]);
        let e = crypto::encrypt_cbc(&wrong.enc, &s);
        let mut data = e.clone();
        data.extend(crypto::retail_mac(&wrong.mac, &e));
        let (response, channel) = chip.external_authenticate(&data);
        assert_eq!(response.status, StatusWord(0x6300));
        assert!(channel.is_none());
    }
}
