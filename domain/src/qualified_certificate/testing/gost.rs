//! GOST R 34.10-2012 keys for the test certification center: random
//! private keys and nonces from the operating system's random source,
//! signing through [`GostSigningKey`], and the `x509-cert` builder traits
//! that let a GOST key issue certificates.
//!
//! Signatures are `s || r` over the Streebog digest of the key's size,
//! which is what X.509 (RFC 9215) carries in `signatureValue` and what a
//! PKCS#11 token returns. The arithmetic is not constant time, so these
//! keys are for tests only.

use der::asn1::BitString;
use num_bigint::BigUint;
use rand_core_0_6::{OsRng, RngCore};
use signature::{Keypair, Signer};
use spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey, ObjectIdentifier,
    SignatureBitStringEncoding,
};

use crate::gost::{
    streebog_digest, GostCurve, GostError, GostKeySize, GostSigningKey, SIGNATURE_ALGORITHM_256,
    SIGNATURE_ALGORITHM_512,
};

/// Attempts at a signature before giving up. A random nonce yields r = 0
/// or s = 0 with a chance of about 2/q, so the retries only guard against
/// a test failing on such a draw.
const SIGNING_ATTEMPTS: usize = 4;

/// Generates a private key on `curve` with `d` uniform enough in 1..q-1.
pub(crate) fn generate_key(curve: GostCurve) -> GostSigningKey {
    let d = random_scalar(curve);
    GostSigningKey::from_be_bytes(curve, &d).expect("a scalar in 1..q-1 is a valid private key")
}

/// Signs `message` as a token would: Streebog of the key's size, then
/// GOST R 34.10-2012 with a fresh random nonce. Returns `s || r`.
pub(crate) fn sign(key: &GostSigningKey, message: &[u8]) -> Vec<u8> {
    let curve = key.public_key().curve();
    let digest = streebog_digest(curve.key_size(), message);
    for _ in 0..SIGNING_ATTEMPTS {
        match key.sign_digest_with_k(&digest, &random_scalar(curve)) {
            Ok(signature) => return signature,
            Err(GostError::InvalidSigningInput { .. }) => continue,
            Err(other) => panic!("GOST test signing failed: {other}"),
        }
    }
    panic!("GOST test signing drew {SIGNING_ATTEMPTS} unusable nonces in a row");
}

/// Returns a big-endian integer in 1..q-1 of `curve`'s subgroup order `q`.
///
/// 64 random bits beyond the size of `q` make the bias of the reduction
/// below 2^-64, which is plenty for test keys and nonces.
fn random_scalar(curve: GostCurve) -> Vec<u8> {
    let q = &curve.parameters().q;
    let mut bytes = vec![0u8; curve.key_size().coordinate_len() + 8];
    OsRng.fill_bytes(&mut bytes);
    let scalar = BigUint::from_bytes_be(&bytes) % (q - 1u8) + 1u8;
    scalar.to_bytes_be()
}

/// Returns the X.509 signature algorithm of a key size (RFC 9215).
pub(crate) fn signature_algorithm(size: GostKeySize) -> AlgorithmIdentifierOwned {
    let oid = match size {
        GostKeySize::Bits256 => SIGNATURE_ALGORITHM_256,
        GostKeySize::Bits512 => SIGNATURE_ALGORITHM_512,
    };
    AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new(oid).expect("the GOST signature OIDs are valid"),
        // RFC 9215 section 3.1: the parameters of these algorithms are
        // absent.
        parameters: None,
    }
}

/// A certification center's GOST key, in the shape the `x509-cert`
/// certificate builder signs with.
#[derive(Clone)]
pub(crate) struct GostCaKey {
    key: GostSigningKey,
}

impl GostCaKey {
    pub(crate) fn generate(curve: GostCurve) -> GostCaKey {
        GostCaKey {
            key: generate_key(curve),
        }
    }

    /// Returns the public key as a DER `SubjectPublicKeyInfo`.
    pub(crate) fn public_key_der(&self) -> Vec<u8> {
        self.key.public_key().to_spki_der()
    }

    fn key_size(&self) -> GostKeySize {
        self.key.public_key().key_size()
    }
}

/// The public half of a [`GostCaKey`], as a DER `SubjectPublicKeyInfo`.
#[derive(Clone)]
pub(crate) struct GostVerifyingKey {
    spki_der: Vec<u8>,
}

impl EncodePublicKey for GostVerifyingKey {
    fn to_public_key_der(&self) -> spki::Result<spki::Document> {
        Ok(spki::Document::try_from(self.spki_der.as_slice())?)
    }
}

impl Keypair for GostCaKey {
    type VerifyingKey = GostVerifyingKey;

    fn verifying_key(&self) -> GostVerifyingKey {
        GostVerifyingKey {
            spki_der: self.public_key_der(),
        }
    }
}

impl DynSignatureAlgorithmIdentifier for GostCaKey {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(signature_algorithm(self.key_size()))
    }
}

/// A GOST signature, `s || r`, as the content of an X.509 BIT STRING.
pub(crate) struct GostSignature(pub(crate) Vec<u8>);

impl SignatureBitStringEncoding for GostSignature {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(&self.0)
    }
}

impl Signer<GostSignature> for GostCaKey {
    fn try_sign(&self, message: &[u8]) -> Result<GostSignature, signature::Error> {
        Ok(GostSignature(sign(&self.key, message)))
    }
}
