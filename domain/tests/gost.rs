//! GOST R 34.10-2012 and Streebog in `domain::gost`, checked against
//! published examples. RFC 6986 covers Streebog and RFC 7091 Appendix A
//! covers signing and verification. The RFC 9215 and TC 26 example
//! certificates cover key decoding and the digest byte order.

#[path = "gost/certificates.rs"]
mod certificates;

use data_encoding::BASE64;
use der::asn1::{BitString, ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode};
use domain::gost::{
    streebog_digest, GostCurve, GostError, GostKeySize, GostPublicKey, GostSigningKey,
    SIGNATURE_ALGORITHM_256, SIGNATURE_ALGORITHM_512,
};
use proptest::prelude::*;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::crl::CertificateList;
use x509_cert::Certificate;

fn unhex(digits: &str) -> Vec<u8> {
    hex::decode(digits).expect("test vectors are hexadecimal")
}

/// Reverses a value that an RFC prints as a number into the byte string
/// the algorithm produces or consumes.
fn reversed(digits: &str) -> Vec<u8> {
    let mut bytes = unhex(digits);
    bytes.reverse();
    bytes
}

fn base64_der(text: &str) -> Vec<u8> {
    let joined: String = text.split_whitespace().collect();
    BASE64
        .decode(joined.as_bytes())
        .expect("fixtures are base64")
}

// RFC 6986 section 10 prints messages and digests as numbers, most
// significant byte first, so the byte strings are its hexadecimal
// reversed. M1 is the ASCII digits below; M2 is a line of "The Tale of
// Igor's Campaign" in Windows-1251.
const M1: &[u8] = b"012345678901234567890123456789012345678901234567890123456789012";
const M2_AS_NUMBER: &str =
    "fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f1\
                            20faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1";

#[test]
fn streebog_512_rfc6986_examples() {
    let m2 = reversed(M2_AS_NUMBER);
    assert_eq!(m2.len(), 72);
    assert_eq!(
        streebog_digest(GostKeySize::Bits512, M1),
        reversed(
            "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00\
             fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b"
        )
    );
    assert_eq!(
        streebog_digest(GostKeySize::Bits512, &m2),
        reversed(
            "28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f03\
             7613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e"
        )
    );
}

#[test]
fn streebog_256_rfc6986_examples() {
    let m2 = reversed(M2_AS_NUMBER);
    assert_eq!(
        streebog_digest(GostKeySize::Bits256, M1),
        reversed("00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d")
    );
    assert_eq!(
        streebog_digest(GostKeySize::Bits256, &m2),
        reversed("508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d")
    );
}

/// One RFC 7091 Appendix A example, all values big-endian as printed. The
/// values are those that several GOST libraries' test suites reproduce,
/// and each test also checks them against each other (Q = d·P, and the
/// signature that d and k give).
struct Rfc7091Example {
    curve: GostCurve,
    d: &'static str,
    x: &'static str,
    y: &'static str,
    e: &'static str,
    k: &'static str,
    r: &'static str,
    s: &'static str,
}

const RFC7091_A1: Rfc7091Example = Rfc7091Example {
    curve: GostCurve::Test256,
    d: "7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28",
    x: "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B",
    y: "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA",
    e: "2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5",
    k: "77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3",
    r: "41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493",
    s: "01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40",
};

const RFC7091_A2: Rfc7091Example = Rfc7091Example {
    curve: GostCurve::Test512,
    d: "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B1020\
        72E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
    x: "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD\
        5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
    y: "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61\
        EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
    e: "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C591\
        7184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
    k: "0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F3658\
        86748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1",
    r: "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD3\
        5492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
    s: "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5\
        823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A",
};

impl Rfc7091Example {
    fn public_key(&self) -> GostPublicKey {
        GostPublicKey::from_coordinates(self.curve, &unhex(self.x), &unhex(self.y))
            .expect("the example key is a valid point")
    }

    /// Returns the digest bytes whose little-endian reading is the
    /// example's e.
    fn digest(&self) -> Vec<u8> {
        reversed(self.e)
    }

    fn signature(&self) -> Vec<u8> {
        let mut signature = unhex(self.s);
        signature.extend(unhex(self.r));
        signature
    }
}

fn check_rfc7091_example(example: &Rfc7091Example) {
    let signing_key = GostSigningKey::from_be_bytes(example.curve, &unhex(example.d))
        .expect("the example private key is in range");
    assert_eq!(signing_key.public_key(), example.public_key(), "Q = d·P");

    let signature = signing_key
        .sign_digest_with_k(&example.digest(), &unhex(example.k))
        .expect("the example nonce signs");
    assert_eq!(
        hex::encode_upper(&signature),
        hex::encode_upper(example.signature())
    );

    assert_eq!(
        example
            .public_key()
            .verify_digest(&example.digest(), &example.signature()),
        Ok(())
    );
}

#[test]
fn rfc7091_256_example_signs_and_verifies() {
    check_rfc7091_example(&RFC7091_A1);
}

#[test]
fn rfc7091_512_example_signs_and_verifies() {
    check_rfc7091_example(&RFC7091_A2);
}

#[test]
fn rfc7091_example_rejects_changes() {
    for example in [&RFC7091_A1, &RFC7091_A2] {
        let key = example.public_key();

        let mut other_digest = example.digest();
        other_digest[0] ^= 1;
        assert_eq!(
            key.verify_digest(&other_digest, &example.signature()),
            Err(GostError::BadSignature)
        );

        let mut other_signature = example.signature();
        let last = other_signature.len() - 1;
        other_signature[last] ^= 1;
        assert_eq!(
            key.verify_digest(&example.digest(), &other_signature),
            Err(GostError::BadSignature)
        );

        let mut swapped = unhex(example.r);
        swapped.extend(unhex(example.s));
        assert_eq!(
            key.verify_digest(&example.digest(), &swapped),
            Err(GostError::BadSignature),
            "r || s must not verify"
        );
    }
}

#[test]
fn signature_values_out_of_range_rejected() {
    let example = &RFC7091_A1;
    let key = example.public_key();
    let zero_s = [vec![0u8; 32], unhex(example.r)].concat();
    assert_eq!(
        key.verify_digest(&example.digest(), &zero_s),
        Err(GostError::SignatureOutOfRange)
    );
    let max_r = [unhex(example.s), vec![0xFF; 32]].concat();
    assert_eq!(
        key.verify_digest(&example.digest(), &max_r),
        Err(GostError::SignatureOutOfRange)
    );
}

#[test]
fn lengths_are_checked() {
    let example = &RFC7091_A1;
    let key = example.public_key();
    assert_eq!(
        key.verify_digest(&example.digest(), &example.signature()[..63]),
        Err(GostError::SignatureLength {
            expected: 64,
            actual: 63
        })
    );
    assert_eq!(
        key.verify_digest(&[0u8; 64], &example.signature()),
        Err(GostError::DigestLength {
            expected: 32,
            actual: 64
        })
    );
}

#[test]
fn signing_rejects_bad_inputs() {
    let example = &RFC7091_A1;
    assert!(matches!(
        GostSigningKey::from_be_bytes(example.curve, &[0u8; 32]),
        Err(GostError::InvalidSigningInput { .. })
    ));
    let key = GostSigningKey::from_be_bytes(example.curve, &unhex(example.d))
        .expect("the example private key is in range");
    assert!(matches!(
        key.sign_digest_with_k(&example.digest(), &[0xFF; 32]),
        Err(GostError::InvalidSigningInput { .. })
    ));
}

#[test]
fn point_off_curve_rejected() {
    let example = &RFC7091_A1;
    let mut y = unhex(example.y);
    y[31] ^= 1;
    assert_eq!(
        GostPublicKey::from_coordinates(example.curve, &unhex(example.x), &y),
        Err(GostError::InvalidPoint {
            curve_oid: "1.2.643.2.2.35.0".to_owned()
        })
    );
}

/// The signed part, the key and the signature of a published certificate.
struct SignedFixture {
    signed_der: Vec<u8>,
    spki_der: Vec<u8>,
    algorithm_oid: String,
    signature: Vec<u8>,
}

fn certificate_fixture(text: &str) -> SignedFixture {
    let certificate = Certificate::from_der(&base64_der(text)).expect("fixture certificate parses");
    SignedFixture {
        signed_der: certificate
            .tbs_certificate
            .to_der()
            .expect("TBS re-encodes"),
        spki_der: certificate
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .expect("SPKI re-encodes"),
        algorithm_oid: certificate.signature_algorithm.oid.to_string(),
        signature: certificate.signature.raw_bytes().to_vec(),
    }
}

#[test]
fn rfc9215_256_certificate_verifies() {
    let fixture = certificate_fixture(certificates::RFC9215_256_A_CERTIFICATE);
    let key = GostPublicKey::from_spki_der(&fixture.spki_der).expect("the example key decodes");
    assert_eq!(key.curve(), GostCurve::Tc26Gost256A);
    assert_eq!(key.key_size(), GostKeySize::Bits256);
    assert_eq!(key.verify(&fixture.signed_der, &fixture.signature), Ok(()));
}

#[test]
fn rfc9215_256_crl_verifies() {
    let issuer = certificate_fixture(certificates::RFC9215_256_A_CERTIFICATE);
    let key = GostPublicKey::from_spki_der(&issuer.spki_der).expect("the example key decodes");
    let crl = CertificateList::from_der(&base64_der(certificates::RFC9215_256_A_CRL))
        .expect("fixture CRL parses");
    let signed = crl.tbs_cert_list.to_der().expect("TBS re-encodes");
    assert_eq!(key.verify(&signed, crl.signature.raw_bytes()), Ok(()));
}

/// The evidence for the digest byte order: a published signature verifies
/// when the Streebog output is read little-endian, and fails when it is
/// read big-endian (the same bytes reversed).
#[test]
fn digest_is_read_little_endian() {
    let fixture = certificate_fixture(certificates::RFC9215_256_A_CERTIFICATE);
    let key = GostPublicKey::from_spki_der(&fixture.spki_der).expect("the example key decodes");
    let mut digest = streebog_digest(GostKeySize::Bits256, &fixture.signed_der);
    assert_eq!(key.verify_digest(&digest, &fixture.signature), Ok(()));
    digest.reverse();
    assert_eq!(
        key.verify_digest(&digest, &fixture.signature),
        Err(GostError::BadSignature)
    );
}

#[test]
fn tk26_256_certificate_verifies() {
    let fixture = certificate_fixture(certificates::TK26_256_CERTIFICATE);
    let key = GostPublicKey::from_spki_der(&fixture.spki_der).expect("the example key decodes");
    assert_eq!(key.curve(), GostCurve::CryptoProA, "XchA is CryptoPro A");
    assert_eq!(key.verify(&fixture.signed_der, &fixture.signature), Ok(()));
}

#[test]
fn tk26_512_certificate_verifies() {
    let fixture = certificate_fixture(certificates::TK26_512_CERTIFICATE);
    let key = GostPublicKey::from_spki_der(&fixture.spki_der).expect("the example key decodes");
    assert_eq!(key.curve(), GostCurve::Tc26Gost512B);
    assert_eq!(key.key_size(), GostKeySize::Bits512);
    assert_eq!(key.verify(&fixture.signed_der, &fixture.signature), Ok(()));

    let mut changed = fixture.signed_der.clone();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    assert_eq!(
        key.verify(&changed, &fixture.signature),
        Err(GostError::BadSignature)
    );
}

/// The RFC 9215 certificates on the RFC 7091 test curves carry the keys
/// of the RFC 7091 examples. From the SPKI, the test curve is rejected,
/// but the key built from its coordinates verifies the certificate.
#[test]
fn rfc9215_test_curve_certificates() {
    let cases = [
        (
            certificates::RFC9215_TEST_256_CERTIFICATE,
            &RFC7091_A1,
            "1.2.643.2.2.35.0",
        ),
        (
            certificates::RFC9215_TEST_512_CERTIFICATE,
            &RFC7091_A2,
            "1.2.643.7.1.2.1.2.0",
        ),
    ];
    for (text, example, oid) in cases {
        let fixture = certificate_fixture(text);
        assert_eq!(
            GostPublicKey::from_spki_der(&fixture.spki_der),
            Err(GostError::TestCurve {
                oid: oid.to_owned()
            })
        );
        let key = example.public_key();
        assert_eq!(
            key.verify(&fixture.signed_der, &fixture.signature),
            Ok(()),
            "{oid}"
        );
    }
}

const GOST_256: &str = "1.2.643.7.1.1.1.1";
const GOST_512: &str = "1.2.643.7.1.1.1.2";

/// Builds a `SubjectPublicKeyInfo` with the given algorithm, parameter
/// OIDs and key octets, to test the decoder's rejections.
fn spki_der(algorithm: &str, parameters: &[&str], key_octets: &[u8]) -> Vec<u8> {
    let oids: Vec<ObjectIdentifier> = parameters
        .iter()
        .map(|oid| ObjectIdentifier::new(oid).expect("test OIDs are valid"))
        .collect();
    let octets = OctetString::new(key_octets)
        .expect("key octets fit")
        .to_der()
        .expect("octet string encodes");
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new(algorithm).expect("test OIDs are valid"),
            parameters: Some(Any::encode_from(&oids).expect("parameters encode")),
        },
        subject_public_key: BitString::from_bytes(&octets).expect("bit string encodes"),
    };
    spki.to_der().expect("SPKI encodes")
}

/// Extracts the RFC 9215 paramSetA key's octets, X then Y little-endian.
fn example_key_octets() -> Vec<u8> {
    let fixture = certificate_fixture(certificates::RFC9215_256_A_CERTIFICATE);
    let spki = SubjectPublicKeyInfoOwned::from_der(&fixture.spki_der).expect("SPKI parses");
    OctetString::from_der(spki.subject_public_key.raw_bytes())
        .expect("key octets parse")
        .as_bytes()
        .to_vec()
}

#[test]
fn built_spki_decodes_like_fixture() {
    let built = spki_der(GOST_256, &["1.2.643.7.1.2.1.1.1"], &example_key_octets());
    let fixture = certificate_fixture(certificates::RFC9215_256_A_CERTIFICATE);
    assert_eq!(built, fixture.spki_der);
    let with_digest = spki_der(
        GOST_256,
        &["1.2.643.7.1.2.1.1.1", "1.2.643.7.1.1.2.2"],
        &example_key_octets(),
    );
    let key = GostPublicKey::from_spki_der(&with_digest).expect("a digest parameter is allowed");
    assert_eq!(key.curve(), GostCurve::Tc26Gost256A);
}

#[test]
fn spki_rejections_name_the_value() {
    let octets = example_key_octets();
    let cases = [
        (
            spki_der("1.2.840.10045.2.1", &["1.2.840.10045.3.1.7"], &octets),
            GostError::NotGost2012 {
                oid: "1.2.840.10045.2.1".to_owned(),
            },
        ),
        (
            spki_der(GOST_256, &["1.2.643.7.1.2.1.1.9"], &octets),
            GostError::UnknownCurve {
                oid: "1.2.643.7.1.2.1.1.9".to_owned(),
            },
        ),
        (
            spki_der(GOST_512, &["1.2.643.7.1.2.1.1.1"], &octets),
            GostError::CurveSizeMismatch {
                curve_oid: "1.2.643.7.1.2.1.1.1".to_owned(),
                algorithm_oid: GOST_512.to_owned(),
            },
        ),
        (
            spki_der(
                GOST_256,
                &["1.2.643.7.1.2.1.1.1", "1.2.643.7.1.1.2.3"],
                &octets,
            ),
            GostError::DigestMismatch {
                oid: "1.2.643.7.1.1.2.3".to_owned(),
                key_bits: 256,
            },
        ),
        (
            spki_der(GOST_256, &["1.2.643.7.1.2.1.1.1"], &octets[..63]),
            GostError::PublicKeyLength {
                expected: 64,
                actual: 63,
            },
        ),
        (
            spki_der(GOST_256, &["1.2.643.7.1.2.1.1.2"], &octets),
            GostError::InvalidPoint {
                curve_oid: "1.2.643.2.2.35.1".to_owned(),
            },
        ),
    ];
    for (der, expected) in cases {
        assert_eq!(
            GostPublicKey::from_spki_der(&der),
            Err(expected.clone()),
            "{expected}"
        );
    }
}

#[test]
fn malformed_der_rejected() {
    let error = GostPublicKey::from_spki_der(&[0x30, 0x03, 0x02, 0x01])
        .expect_err("truncated DER is rejected");
    assert!(matches!(error, GostError::MalformedDer { .. }), "{error}");
}

#[test]
fn error_messages_quote_the_value() {
    let error = GostError::UnknownCurve {
        oid: "1.2.643.7.1.2.1.1.9".to_owned(),
    };
    assert_eq!(
        error.to_string(),
        "unknown GOST R 34.10 parameter set 1.2.643.7.1.2.1.1.9"
    );
    let error = GostError::SignatureLength {
        expected: 128,
        actual: 64,
    };
    assert_eq!(
        error.to_string(),
        "GOST signature is 64 bytes long, expected 128 (s then r)"
    );
}

#[test]
fn spki_encoding_matches_examples() {
    let paramset_a = certificate_fixture(certificates::RFC9215_256_A_CERTIFICATE);
    let key = GostPublicKey::from_spki_der(&paramset_a.spki_der).expect("the example key decodes");
    assert_eq!(key.to_spki_der(), paramset_a.spki_der);

    let test_curve = certificate_fixture(certificates::RFC9215_TEST_256_CERTIFICATE);
    assert_eq!(RFC7091_A1.public_key().to_spki_der(), test_curve.spki_der);
}

#[test]
fn spki_round_trip_every_curve() {
    let production_curves = GostCurve::ALL.into_iter().filter(|curve| !curve.is_test());
    for curve in production_curves {
        let key = GostSigningKey::from_be_bytes(curve, &[0x5A; 20])
            .expect("a small private key is in range")
            .public_key();
        let decoded = GostPublicKey::from_spki_der(&key.to_spki_der());
        assert_eq!(decoded, Ok(key), "{curve:?}");
    }
}

#[test]
fn sign_and_verify_every_curve() {
    let message = b"okno identity challenge v1:challenge-id:00ff";
    for curve in GostCurve::ALL {
        let signing_key = GostSigningKey::from_be_bytes(curve, &[0x3C; 24])
            .expect("a small private key is in range");
        let public_key = signing_key.public_key();
        let digest = streebog_digest(curve.key_size(), message);
        let signature = signing_key
            .sign_digest_with_k(&digest, &[0x71; 30])
            .expect("a small nonce signs");
        assert_eq!(
            signature.len(),
            curve.key_size().signature_len(),
            "{curve:?}"
        );
        assert_eq!(public_key.verify(message, &signature), Ok(()), "{curve:?}");
        assert_eq!(
            public_key.verify(b"another message", &signature),
            Err(GostError::BadSignature),
            "{curve:?}"
        );
    }
}

proptest! {
    #[test]
    fn arbitrary_spki_bytes_rejected(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        prop_assert!(GostPublicKey::from_spki_der(&bytes).is_err());
    }

    #[test]
    fn arbitrary_signature_does_not_verify(signature in proptest::collection::vec(any::<u8>(), 64)) {
        let result = RFC7091_A1.public_key().verify_digest(&RFC7091_A1.digest(), &signature);
        prop_assert!(
            matches!(result, Err(GostError::BadSignature | GostError::SignatureOutOfRange)),
            "{:?}",
            result
        );
    }
}

#[test]
fn x509_signature_checks_algorithm() {
    let cases = [
        (
            certificates::RFC9215_256_A_CERTIFICATE,
            SIGNATURE_ALGORITHM_256,
        ),
        (certificates::TK26_256_CERTIFICATE, SIGNATURE_ALGORITHM_256),
        (certificates::TK26_512_CERTIFICATE, SIGNATURE_ALGORITHM_512),
    ];
    for (text, expected_oid) in cases {
        let fixture = certificate_fixture(text);
        assert_eq!(fixture.algorithm_oid, expected_oid);
        let key = GostPublicKey::from_spki_der(&fixture.spki_der).expect("the example key decodes");
        assert_eq!(
            key.verify_x509_signature(
                &fixture.algorithm_oid,
                &fixture.signed_der,
                &fixture.signature
            ),
            Ok(())
        );
    }

    let fixture = certificate_fixture(certificates::TK26_512_CERTIFICATE);
    let key = GostPublicKey::from_spki_der(&fixture.spki_der).expect("the example key decodes");
    assert_eq!(
        key.verify_x509_signature(
            SIGNATURE_ALGORITHM_256,
            &fixture.signed_der,
            &fixture.signature
        ),
        Err(GostError::SignatureAlgorithmMismatch {
            oid: SIGNATURE_ALGORITHM_256.to_owned(),
            key_bits: 512
        })
    );
}
