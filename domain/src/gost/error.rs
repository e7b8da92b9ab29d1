//! Errors of GOST key decoding, verification and test signing. Messages
//! are in English for developers and logs, not for visitors. No variant
//! carries key or digest bytes.

/// The reason a GOST key or signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GostError {
    /// The DER could not be decoded.
    #[error("malformed GOST key DER: {detail}")]
    MalformedDer { detail: String },
    /// The `SubjectPublicKeyInfo` algorithm is not GOST R 34.10-2012.
    #[error(
        "key algorithm {oid} is not GOST R 34.10-2012 \
         (expected 1.2.643.7.1.1.1.1 or 1.2.643.7.1.1.1.2)"
    )]
    NotGost2012 { oid: String },
    /// The algorithm parameters name a curve this module does not support.
    #[error("unknown GOST R 34.10 parameter set {oid}")]
    UnknownCurve { oid: String },
    /// The curve is one of RFC 7091's example curves, on which no real key
    /// is issued.
    #[error("GOST parameter set {oid} is a test set and is not accepted for keys")]
    TestCurve { oid: String },
    /// A 256-bit curve under the 512-bit algorithm OID, or the reverse.
    #[error("GOST parameter set {curve_oid} does not fit key algorithm {algorithm_oid}")]
    CurveSizeMismatch {
        curve_oid: String,
        algorithm_oid: String,
    },
    /// The optional digest parameter names another hash than the
    /// Streebog variant of the key size.
    #[error("digest parameter {oid} does not fit a {key_bits}-bit GOST key")]
    DigestMismatch { oid: String, key_bits: u16 },
    /// The public key octet string has the wrong length.
    #[error("GOST public key is {actual} bytes long, expected {expected} (X then Y)")]
    PublicKeyLength { expected: usize, actual: usize },
    /// The public key is not a point of the curve's prime-order subgroup.
    #[error("GOST public key is not a valid point of parameter set {curve_oid}")]
    InvalidPoint { curve_oid: String },
    /// An X.509 signature algorithm other than the GOST one of the key's
    /// size.
    #[error(
        "signature algorithm {oid} does not fit a {key_bits}-bit GOST key \
         (expected 1.2.643.7.1.1.3.2 for 256 bits or 1.2.643.7.1.1.3.3 for 512 bits)"
    )]
    SignatureAlgorithmMismatch { oid: String, key_bits: u16 },
    /// The signature has the wrong length.
    #[error("GOST signature is {actual} bytes long, expected {expected} (s then r)")]
    SignatureLength { expected: usize, actual: usize },
    /// The digest has the wrong length for the key size.
    #[error("digest is {actual} bytes long, expected {expected}")]
    DigestLength { expected: usize, actual: usize },
    /// `r` or `s` is zero or not below the subgroup order `q`.
    #[error("GOST signature value r or s is outside 1..q-1")]
    SignatureOutOfRange,
    /// The signature does not verify under the key.
    #[error("GOST signature does not match the key and the message")]
    BadSignature,
    /// A private key or a nonce `k` outside 1..q-1, or one that yields
    /// r = 0 or s = 0 (the caller picks another `k`).
    #[error("GOST signing input rejected: {reason}")]
    InvalidSigningInput { reason: &'static str },
}
