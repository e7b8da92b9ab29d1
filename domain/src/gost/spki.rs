//! Decoding of a GOST R 34.10-2012 `SubjectPublicKeyInfo` as RFC 9215
//! section 4 lays it out: algorithm 1.2.643.7.1.1.1.1 (256-bit) or
//! 1.2.643.7.1.1.1.2 (512-bit), parameters `SEQUENCE { publicKeyParamSet
//! OID, digestParamSet OID OPTIONAL }`, and a BIT STRING that wraps an
//! OCTET STRING of X then Y, each little-endian.

use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::Decode;
use num_bigint::BigUint;
use spki::SubjectPublicKeyInfoRef;

use super::curve::{GostCurve, GostKeySize};
use super::error::GostError;
use super::point::AffinePoint;

const ALGORITHM_256: &str = "1.2.643.7.1.1.1.1";
const ALGORITHM_512: &str = "1.2.643.7.1.1.1.2";
const STREEBOG_256: &str = "1.2.643.7.1.1.2.2";
const STREEBOG_512: &str = "1.2.643.7.1.1.2.3";

/// The algorithm parameters. RFC 4491 keys could also carry an encryption
/// parameter set; it is read and ignored, because a signature does not use
/// it.
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

fn malformed(error: der::Error) -> GostError {
    GostError::MalformedDer {
        detail: error.to_string(),
    }
}
