//! Decoding and encoding of a GOST R 34.10-2012 `SubjectPublicKeyInfo` as
//! the RFC 9215 example certificates lay it out: algorithm
//! 1.2.643.7.1.1.1.1 (256-bit) or 1.2.643.7.1.1.1.2 (512-bit), parameters
//! `SEQUENCE { publicKeyParamSet OID, digestParamSet OID OPTIONAL }`, and
//! a BIT STRING that wraps an OCTET STRING of X then Y, each
//! little-endian.

use der::asn1::{BitString, ObjectIdentifier, OctetString, OctetStringRef};
use der::{Any, Decode, Encode};
use num_bigint::BigUint;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};

use super::curve::{GostCurve, GostKeySize};
use super::error::GostError;
use super::point::AffinePoint;

const ALGORITHM_256: &str = "1.2.643.7.1.1.1.1";
const ALGORITHM_512: &str = "1.2.643.7.1.1.1.2";
const STREEBOG_256: &str = "1.2.643.7.1.1.2.2";
const STREEBOG_512: &str = "1.2.643.7.1.1.2.3";

/// The algorithm parameters. A third, optional OID (the encryption
/// parameter set of 2001-era keys) is read and ignored, because a
/// signature does not use it.
#[derive(der::Sequence)]
struct KeyParameters {
    public_key_param_set: ObjectIdentifier,
    digest_param_set: Option<ObjectIdentifier>,
    encryption_param_set: Option<ObjectIdentifier>,
}

/// Decodes the curve and the point from a DER `SubjectPublicKeyInfo`. The
/// point is not checked against the curve here.
pub(crate) fn decode(spki_der: &[u8]) -> Result<(GostCurve, AffinePoint), GostError> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der).map_err(malformed)?;

    let algorithm_oid = spki.algorithm.oid.to_string();
    let size = match algorithm_oid.as_str() {
        ALGORITHM_256 => GostKeySize::Bits256,
        ALGORITHM_512 => GostKeySize::Bits512,
        _ => return Err(GostError::NotGost2012 { oid: algorithm_oid }),
    };

    let parameters: KeyParameters = spki
        .algorithm
        .parameters
        .ok_or_else(|| GostError::MalformedDer {
            detail: "the GOST key algorithm has no parameters".to_owned(),
        })?
        .decode_as()
        .map_err(malformed)?;
    let curve = decode_curve(&parameters, size, &algorithm_oid)?;

    let key_bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| GostError::MalformedDer {
            detail: "the public key BIT STRING has unused bits".to_owned(),
        })?;
    let key_octets = OctetStringRef::from_der(key_bits).map_err(malformed)?;
    let point = decode_point(size, key_octets.as_bytes())?;
    Ok((curve, point))
}

fn decode_curve(
    parameters: &KeyParameters,
    size: GostKeySize,
    algorithm_oid: &str,
) -> Result<GostCurve, GostError> {
    let curve_oid = parameters.public_key_param_set.to_string();
    let curve = GostCurve::from_oid(&curve_oid).ok_or_else(|| GostError::UnknownCurve {
        oid: curve_oid.clone(),
    })?;
    if curve.is_test() {
        return Err(GostError::TestCurve { oid: curve_oid });
    }
    if curve.key_size() != size {
        return Err(GostError::CurveSizeMismatch {
            curve_oid,
            algorithm_oid: algorithm_oid.to_owned(),
        });
    }

    if let Some(digest) = &parameters.digest_param_set {
        let (expected, key_bits) = match size {
            GostKeySize::Bits256 => (STREEBOG_256, 256),
            GostKeySize::Bits512 => (STREEBOG_512, 512),
        };
        let digest_oid = digest.to_string();
        if digest_oid != expected {
            return Err(GostError::DigestMismatch {
                oid: digest_oid,
                key_bits,
            });
        }
    }
    Ok(curve)
}

/// Splits the key octets into X and Y, each little-endian.
pub(crate) fn decode_point(size: GostKeySize, octets: &[u8]) -> Result<AffinePoint, GostError> {
    let expected = 2 * size.coordinate_len();
    if octets.len() != expected {
        return Err(GostError::PublicKeyLength {
            expected,
            actual: octets.len(),
        });
    }
    let (x, y) = octets.split_at(size.coordinate_len());
    Ok(AffinePoint {
        x: BigUint::from_bytes_le(x),
        y: BigUint::from_bytes_le(y),
    })
}

/// Encodes a key as a DER `SubjectPublicKeyInfo`. The digest parameter is
/// written for the 2001-era 256-bit sets and left out for the TC26 sets,
/// as in the RFC 9215 examples.
pub(crate) fn encode(curve: GostCurve, point: &AffinePoint) -> Vec<u8> {
    let size = curve.key_size();
    let (algorithm, digest) = match size {
        GostKeySize::Bits256 => (ALGORITHM_256, STREEBOG_256),
        GostKeySize::Bits512 => (ALGORITHM_512, STREEBOG_512),
    };
    let names_digest = matches!(
        curve,
        GostCurve::Test256 | GostCurve::CryptoProA | GostCurve::CryptoProB | GostCurve::CryptoProC
    );
    let parameters = KeyParameters {
        public_key_param_set: known_oid(curve.oid()),
        digest_param_set: names_digest.then(|| known_oid(digest)),
        encryption_param_set: None,
    };

    let mut octets = to_fixed_le(&point.x, size.coordinate_len());
    octets.extend(to_fixed_le(&point.y, size.coordinate_len()));
    let key_octets = OctetString::new(octets)
        .and_then(|octets| octets.to_der())
        .expect("a 64- or 128-byte OCTET STRING encodes");

    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: known_oid(algorithm),
            parameters: Some(Any::encode_from(&parameters).expect("a SEQUENCE of OIDs encodes")),
        },
        subject_public_key: BitString::from_bytes(&key_octets)
            .expect("a whole-byte BIT STRING encodes"),
    };
    spki.to_der()
        .expect("a SubjectPublicKeyInfo of known parts encodes")
}

fn known_oid(dotted: &str) -> ObjectIdentifier {
    ObjectIdentifier::new(dotted).expect("the module's OID constants are valid")
}

/// Writes a value below 2^(8·len) as exactly `len` little-endian bytes.
fn to_fixed_le(value: &BigUint, len: usize) -> Vec<u8> {
    let mut bytes = value.to_bytes_le();
    bytes.resize(len, 0);
    bytes
}

fn malformed(error: der::Error) -> GostError {
    GostError::MalformedDer {
        detail: error.to_string(),
    }
}
