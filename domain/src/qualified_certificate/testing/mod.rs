//! A test certification center for tests of the certificate checks in
//! this and other crates: a root and an intermediate, leaf certificates
//! with the Russian subject attributes, and CRLs, all as DER.
//!
//! Built only with the `test-support` feature, which belongs in
//! `[dev-dependencies]`. Keys come from the operating system's random
//! source. RSA keys are slow to generate in debug builds, so one RSA key
//! per size is made per process and shared by every leaf that requests
//! that size.
//!
//! GOST R 34.10-2012 keys sign through [`crate::gost::GostSigningKey`]
//! (see [`gost`]): certification centers on TC26 256-bit paramSetA or
//! 512-bit paramSetA, leaves on CryptoPro A or 512-bit paramSetA.

mod gost;

use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use der::asn1::{BitString, GeneralizedTime, SetOfVec, UtcTime};
use der::referenced::OwnedToRef;
use der::{Any, Decode, Encode, Tag};
use jiff::{SignedDuration, Timestamp};
use rand_core_0_6::OsRng;
use signature::{Keypair, SignatureEncoding, Signer};
use spki::{
    DynSignatureAlgorithmIdentifier, EncodePublicKey, SignatureBitStringEncoding,
    SubjectPublicKeyInfoOwned,
};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::AuthorityKeyIdentifier;
use x509_cert::ext::AsExtension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

use self::gost::{GostCaKey, GostSignature};
use super::subject::oid;
use crate::gost::{GostCurve, GostKeySize, GostSigningKey};
use crate::sync::{SignatureScheme, TrustDirectoryPage, TrustedCertificate};

/// The serial number of every test root certificate.
pub const ROOT_SERIAL: u64 = 1;
/// The serial number of every test intermediate certificate.
pub const INTERMEDIATE_SERIAL: u64 = 2;

/// The key type of a test certification center's root and intermediate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaKey {
    /// ECDSA on P-256, signing with SHA-256.
    P256,
    /// ECDSA on P-384, signing with SHA-384.
    P384,
    /// RSA 2048, signing with PKCS#1 v1.5 and SHA-256.
    Rsa2048,
    /// GOST R 34.10-2012 on id-tc26-gost-3410-2012-256-paramSetA, signing
    /// with Streebog-256 (signature algorithm 1.2.643.7.1.1.3.2).
    Gost2012_256,
    /// GOST R 34.10-2012 on id-tc26-gost-3410-12-512-paramSetA, signing
    /// with Streebog-512 (signature algorithm 1.2.643.7.1.1.3.3).
    Gost2012_512,
}

/// The key type of a leaf certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafKey {
    P256,
    Rsa2048,
    Rsa1024,
    /// GOST R 34.10-2012 on id-GostR3410-2001-CryptoPro-A-ParamSet.
    Gost2012_256,
    /// GOST R 34.10-2012 on id-tc26-gost-3410-12-512-paramSetA.
    Gost2012_512,
}

/// A leaf's private key, for signing challenges as a token would.
#[derive(Debug, Clone)]
pub enum LeafPrivateKey {
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::RsaPrivateKey>),
    Gost(GostSigningKey),
}

impl LeafPrivateKey {
    /// Generates a key of `kind`. RSA keys are shared per size, see the
    /// module docs.
    pub fn generate(kind: LeafKey) -> LeafPrivateKey {
        match kind {
            LeafKey::P256 => LeafPrivateKey::P256(p256::ecdsa::SigningKey::random(&mut OsRng)),
            LeafKey::Rsa2048 => LeafPrivateKey::Rsa(Box::new(shared_rsa_key(2048).clone())),
            LeafKey::Rsa1024 => LeafPrivateKey::Rsa(Box::new(shared_rsa_key(1024).clone())),
            LeafKey::Gost2012_256 => {
                LeafPrivateKey::Gost(gost::generate_key(GostCurve::CryptoProA))
            }
            LeafKey::Gost2012_512 => {
                LeafPrivateKey::Gost(gost::generate_key(GostCurve::Tc26Gost512A))
            }
        }
    }

    /// Returns the public key as a `SubjectPublicKeyInfo`.
    pub fn public_key_info(&self) -> SubjectPublicKeyInfoOwned {
        let der = match self {
            LeafPrivateKey::P256(key) => encoded(key.verifying_key().to_public_key_der()),
            LeafPrivateKey::Rsa(key) => encoded(key.to_public_key().to_public_key_der()),
            LeafPrivateKey::Gost(key) => key.public_key().to_spki_der(),
        };
        SubjectPublicKeyInfoOwned::try_from(der.as_slice()).expect("decode the leaf public key")
    }

    /// Signs `message` the way `hardware::token` makes a token sign a
    /// challenge: RSASSA-PKCS1-v1_5 with SHA-256, ECDSA with SHA-256 as
    /// `r || s`, or GOST R 34.10-2012 over the Streebog digest of the
    /// key's size as `s || r`.
    pub fn sign(&self, message: &[u8]) -> (SignatureScheme, Vec<u8>) {
        match self {
            LeafPrivateKey::P256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                (SignatureScheme::EcdsaSha256, signature.to_bytes().to_vec())
            }
            LeafPrivateKey::Rsa(key) => {
                let signer = rsa::pkcs1v15::SigningKey::<sha2_0_10::Sha256>::new(*key.clone());
                let signature: rsa::pkcs1v15::Signature = signer.sign(message);
                (SignatureScheme::RsaPkcs1Sha256, signature.to_vec())
            }
            LeafPrivateKey::Gost(key) => {
                let scheme = match key.public_key().key_size() {
                    GostKeySize::Bits256 => SignatureScheme::Gost2012_256,
                    GostKeySize::Bits512 => SignatureScheme::Gost2012_512,
                };
                (scheme, gost::sign(key, message))
            }
        }
    }
}

/// Unwraps a public key the RustCrypto crates encoded as a DER
/// `SubjectPublicKeyInfo`.
fn encoded(document: spki::Result<spki::Document>) -> Vec<u8> {
    document.expect("encode a public key").as_bytes().to_vec()
}

fn shared_rsa_key(bits: usize) -> &'static rsa::RsaPrivateKey {
    static RSA_2048: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    static RSA_1024: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    let cell = if bits == 2048 { &RSA_2048 } else { &RSA_1024 };
    cell.get_or_init(|| rsa::RsaPrivateKey::new(&mut OsRng, bits).expect("generate an RSA key"))
}

/// The contents of a leaf certificate: serial number, subject attributes in
/// order (dotted OID, ASN.1 string tag, value), key type and validity.
#[derive(Debug, Clone)]
pub struct LeafSpec {
    pub serial: u64,
    pub subject: Vec<(String, Tag, String)>,
    pub key: LeafKey,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
}

impl LeafSpec {
    /// Describes a person's certificate for Иванов Иван Иванович with a valid СНИЛС
    /// and personal ИНН, a P-256 key, valid from 30 days before `now` to
    /// 365 days after it.
    pub fn person(serial: u64, now: Timestamp) -> LeafSpec {
        let text = |oid: &str, tag: Tag, value: &str| (oid.to_owned(), tag, value.to_owned());
        LeafSpec {
            serial,
            subject: vec![
                text("2.5.4.6", Tag::PrintableString, "RU"),
                text("2.5.4.3", Tag::Utf8String, "Иванов Иван Иванович"),
                text(oid::SURNAME, Tag::Utf8String, "Иванов"),
                text(oid::GIVEN_NAME, Tag::Utf8String, "Иван Иванович"),
                text(oid::SNILS, Tag::NumericString, "11223344595"),
                text(oid::INN, Tag::NumericString, "500123456750"),
            ],
            key: LeafKey::P256,
            not_before: now - days(30),
            not_after: now + days(365),
        }
    }

    /// Sets the key type.
    pub fn with_key(mut self, key: LeafKey) -> LeafSpec {
        self.key = key;
        self
    }

    /// Sets the validity period.
    pub fn valid(mut self, not_before: Timestamp, not_after: Timestamp) -> LeafSpec {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// Sets the value of the attribute `oid`, replacing every present
    /// value, or appends it as a NumericString or UTF8String (when not all
    /// digits).
    pub fn with_attribute(mut self, oid: &str, value: &str) -> LeafSpec {
        let tag = if value.bytes().all(|byte| byte.is_ascii_digit()) {
            Tag::NumericString
        } else {
            Tag::Utf8String
        };
        self.subject.retain(|(present, _, _)| present != oid);
        self.subject.push((oid.to_owned(), tag, value.to_owned()));
        self
    }

    /// Removes every attribute `oid`.
    pub fn without_attribute(mut self, oid: &str) -> LeafSpec {
        self.subject.retain(|(present, _, _)| present != oid);
        self
    }
}

/// A leaf certificate and its private key.
#[derive(Debug, Clone)]
pub struct TestLeaf {
    pub der: Vec<u8>,
    pub key: LeafPrivateKey,
}

/// Whole days of 24 hours.
pub fn days(count: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * count)
}

/// The DER parts of a trust directory, in the order
/// `TrustDirectory::from_der` takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryParts {
    pub anchors: Vec<Vec<u8>>,
    pub intermediates: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
}

/// A certification center: a self-signed root and an intermediate that
/// issues leaves. Both are valid over the period given to [`TestCa::new`].
pub struct TestCa {
    root: Authority,
    intermediate: Authority,
}

#[derive(Clone)]
struct Authority {
    name: Name,
    key: CaSigningKey,
    der: Vec<u8>,
}

#[derive(Clone)]
enum CaSigningKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Rsa(Box<rsa::pkcs1v15::SigningKey<sha2_0_10::Sha256>>),
    Gost(GostCaKey),
}

impl CaSigningKey {
    fn generate(kind: CaKey) -> CaSigningKey {
        match kind {
            CaKey::P256 => CaSigningKey::P256(p256::ecdsa::SigningKey::random(&mut OsRng)),
            CaKey::P384 => CaSigningKey::P384(p384::ecdsa::SigningKey::random(&mut OsRng)),
            CaKey::Rsa2048 => CaSigningKey::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(
                shared_rsa_key(2048).clone(),
            ))),
            CaKey::Gost2012_256 => CaSigningKey::Gost(GostCaKey::generate(GostCurve::Tc26Gost256A)),
            CaKey::Gost2012_512 => CaSigningKey::Gost(GostCaKey::generate(GostCurve::Tc26Gost512A)),
        }
    }

    fn public_key_info(&self) -> SubjectPublicKeyInfoOwned {
        let der = match self {
            CaSigningKey::P256(key) => encoded(key.verifying_key().to_public_key_der()),
            CaSigningKey::P384(key) => encoded(key.verifying_key().to_public_key_der()),
            CaSigningKey::Rsa(key) => encoded(key.verifying_key().to_public_key_der()),
            CaSigningKey::Gost(key) => key.public_key_der(),
        };
        SubjectPublicKeyInfoOwned::try_from(der.as_slice()).expect("decode the CA public key")
    }

    /// Issues a certificate signed with this key and returns its DER.
    fn issue(
        &self,
        profile: Profile,
        serial: u64,
        validity: Validity,
        subject: Name,
        public_key: SubjectPublicKeyInfoOwned,
    ) -> Vec<u8> {
        let serial = SerialNumber::from(serial);
        let certificate = match self {
            CaSigningKey::P256(key) => {
                CertificateBuilder::new(profile, serial, validity, subject, public_key, key)
                    .expect("prepare the certificate")
                    .build::<p256::ecdsa::DerSignature>()
            }
            CaSigningKey::P384(key) => {
                CertificateBuilder::new(profile, serial, validity, subject, public_key, key)
                    .expect("prepare the certificate")
                    .build::<p384::ecdsa::DerSignature>()
            }
            CaSigningKey::Rsa(key) => {
                CertificateBuilder::new(profile, serial, validity, subject, public_key, &**key)
                    .expect("prepare the certificate")
                    .build::<rsa::pkcs1v15::Signature>()
            }
            CaSigningKey::Gost(key) => {
                CertificateBuilder::new(profile, serial, validity, subject, public_key, key)
                    .expect("prepare the certificate")
                    .build::<GostSignature>()
            }
        };
        certificate
            .expect("sign the certificate")
            .to_der()
            .expect("encode the certificate")
    }

    /// Returns the signature algorithm and the signature over `tbs`.
    fn sign(&self, tbs: &[u8]) -> (spki::AlgorithmIdentifierOwned, BitString) {
        let algorithm = match self {
            CaSigningKey::P256(key) => key.signature_algorithm_identifier(),
            CaSigningKey::P384(key) => key.signature_algorithm_identifier(),
            CaSigningKey::Rsa(key) => key.signature_algorithm_identifier(),
            CaSigningKey::Gost(key) => key.signature_algorithm_identifier(),
        }
        .expect("name the signature algorithm");
        let signature = match self {
            CaSigningKey::P256(key) => {
                Signer::<p256::ecdsa::DerSignature>::sign(key, tbs).to_bitstring()
            }
            CaSigningKey::P384(key) => {
                Signer::<p384::ecdsa::DerSignature>::sign(key, tbs).to_bitstring()
            }
            CaSigningKey::Rsa(key) => {
                Signer::<rsa::pkcs1v15::Signature>::sign(&**key, tbs).to_bitstring()
            }
            CaSigningKey::Gost(key) => Signer::<GostSignature>::sign(key, tbs).to_bitstring(),
        }
        .expect("encode the signature");
        (algorithm, signature)
    }
}

impl TestCa {
    /// Makes a root «Okno Test Root <label>» and an intermediate «Okno Test
    /// CA <label>» with fresh keys of type `key`, valid from `not_before`
    /// to `not_after`.
    pub fn new(label: &str, key: CaKey, not_before: Timestamp, not_after: Timestamp) -> TestCa {
        let validity = validity(not_before, not_after);

        let root_name = name(&format!(
            "CN=Okno Test Root {label},O=Okno test certification center,C=RU"
        ));
        let root_key = CaSigningKey::generate(key);
        let root_der = root_key.issue(
            Profile::Root,
            ROOT_SERIAL,
            validity,
            root_name.clone(),
            root_key.public_key_info(),
        );

        let intermediate_name = name(&format!(
            "CN=Okno Test CA {label},O=Okno test certification center,C=RU"
        ));
        let intermediate_key = CaSigningKey::generate(key);
        let intermediate_der = root_key.issue(
            Profile::SubCA {
                issuer: root_name.clone(),
                path_len_constraint: Some(0),
            },
            INTERMEDIATE_SERIAL,
            validity,
            intermediate_name.clone(),
            intermediate_key.public_key_info(),
        );

        TestCa {
            root: Authority {
                name: root_name,
                key: root_key,
                der: root_der,
            },
            intermediate: Authority {
                name: intermediate_name,
                key: intermediate_key,
                der: intermediate_der,
            },
        }
    }

    /// Makes a certification center below this one: its root is this
    /// center's intermediate, and its intermediate «Okno Test Sub CA
    /// <label>» is issued by that intermediate with serial number
    /// [`INTERMEDIATE_SERIAL`] and no pathLenConstraint.
    ///
    /// This center's intermediate allows no CA below it
    /// (pathLenConstraint 0), so a leaf of the subordinate has no valid
    /// path to this center's root.
    pub fn subordinate(
        &self,
        label: &str,
        key: CaKey,
        not_before: Timestamp,
        not_after: Timestamp,
    ) -> TestCa {
        let name = name(&format!(
            "CN=Okno Test Sub CA {label},O=Okno test certification center,C=RU"
        ));
        let sub_key = CaSigningKey::generate(key);
        let der = self.intermediate.key.issue(
            Profile::SubCA {
                issuer: self.intermediate.name.clone(),
                path_len_constraint: None,
            },
            INTERMEDIATE_SERIAL,
            validity(not_before, not_after),
            name.clone(),
            sub_key.public_key_info(),
        );
        TestCa {
            root: self.intermediate.clone(),
            intermediate: Authority {
                name,
                key: sub_key,
                der,
            },
        }
    }

    /// Returns the root certificate, a trust anchor.
    pub fn root_der(&self) -> &[u8] {
        &self.root.der
    }

    /// Returns the intermediate certificate, issued by the root.
    pub fn intermediate_der(&self) -> &[u8] {
        &self.intermediate.der
    }

    /// Issues a leaf under the intermediate with a fresh key of
    /// `spec.key`.
    pub fn issue(&self, spec: &LeafSpec) -> TestLeaf {
        let key = LeafPrivateKey::generate(spec.key);
        let der = self.issue_for_public_key(spec, key.public_key_info());
        TestLeaf { der, key }
    }

    /// Issues a leaf under the intermediate for a public key made
    /// elsewhere, such as on a token. `spec.key` is ignored.
    pub fn issue_for_public_key(
        &self,
        spec: &LeafSpec,
        public_key: SubjectPublicKeyInfoOwned,
    ) -> Vec<u8> {
        issue_leaf(&self.intermediate, spec, public_key)
    }

    /// Issues a leaf directly under the root, with no intermediate between
    /// them, with a fresh key of `spec.key`.
    pub fn issue_from_root(&self, spec: &LeafSpec) -> TestLeaf {
        let key = LeafPrivateKey::generate(spec.key);
        let der = issue_leaf(&self.root, spec, key.public_key_info());
        TestLeaf { der, key }
    }

    /// Issues a leaf under the intermediate like [`TestCa::issue`], but
    /// names `signature_algorithm` (a dotted OID, with absent parameters)
    /// in the certificate instead of the algorithm of the intermediate's
    /// key. The intermediate's key still signs, in its own way, the
    /// certificate that names the other algorithm, so only a verifier
    /// that checks the algorithm against the key rejects it.
    pub fn issue_with_signature_algorithm(
        &self,
        spec: &LeafSpec,
        signature_algorithm: &str,
    ) -> TestLeaf {
        let leaf = self.issue(spec);
        let mut certificate = Certificate::from_der(&leaf.der).expect("decode the leaf");
        let algorithm = spki::AlgorithmIdentifierOwned {
            oid: signature_algorithm
                .parse()
                .expect("a dotted signature algorithm OID"),
            parameters: None,
        };
        certificate.tbs_certificate.signature = algorithm.clone();
        let tbs = certificate
            .tbs_certificate
            .to_der()
            .expect("encode the certificate body");
        let (_, signature) = self.intermediate.key.sign(&tbs);
        certificate.signature_algorithm = algorithm;
        certificate.signature = signature;
        TestLeaf {
            der: certificate.to_der().expect("encode the certificate"),
            key: leaf.key,
        }
    }

    /// Issues the intermediate's CRL, listing the leaves with the serial numbers
    /// in `revoked` as revoked at `this_update`.
    pub fn intermediate_crl(
        &self,
        revoked: &[u64],
        this_update: Timestamp,
        next_update: Option<Timestamp>,
    ) -> Vec<u8> {
        crl(&self.intermediate, revoked, this_update, next_update)
    }

    /// Issues the root's CRL. Revoking [`INTERMEDIATE_SERIAL`] revokes the
    /// intermediate.
    pub fn root_crl(
        &self,
        revoked: &[u64],
        this_update: Timestamp,
        next_update: Option<Timestamp>,
    ) -> Vec<u8> {
        crl(&self.root, revoked, this_update, next_update)
    }

    /// Returns the root as the only anchor, the intermediate, and CRLs of
    /// both that revoke nothing, issued a day before `now` and valid for
    /// 30 days after it.
    pub fn directory_parts(&self, now: Timestamp) -> DirectoryParts {
        let (this_update, next_update) = (now - days(1), Some(now + days(30)));
        DirectoryParts {
            anchors: vec![self.root.der.clone()],
            intermediates: vec![self.intermediate.der.clone()],
            crls: vec![
                self.root_crl(&[], this_update, next_update),
                self.intermediate_crl(&[], this_update, next_update),
            ],
        }
    }

    /// Returns [`TestCa::directory_parts`] as a trust directory page of
    /// `version`, in the form the server sends it.
    pub fn trust_page(&self, now: Timestamp, version: u64) -> TrustDirectoryPage {
        let parts = self.directory_parts(now);
        let encode = |der: &Vec<u8>| data_encoding::BASE64.encode(der);
        let certificates = parts
            .anchors
            .iter()
            .map(|der| (true, der))
            .chain(parts.intermediates.iter().map(|der| (false, der)))
            .map(|(anchor, der)| TrustedCertificate {
                anchor,
                der: encode(der),
            })
            .collect();
        TrustDirectoryPage {
            version,
            changed: true,
            certificates,
            crls: parts.crls.iter().map(encode).collect(),
        }
    }
}

fn issue_leaf(
    authority: &Authority,
    spec: &LeafSpec,
    public_key: SubjectPublicKeyInfoOwned,
) -> Vec<u8> {
    let profile = Profile::Leaf {
        issuer: authority.name.clone(),
        enable_key_agreement: false,
        enable_key_encipherment: false,
    };
    authority.key.issue(
        profile,
        spec.serial,
        validity(spec.not_before, spec.not_after),
        subject(&spec.subject),
        public_key,
    )
}

fn crl(
    authority: &Authority,
    revoked: &[u64],
    this_update: Timestamp,
    next_update: Option<Timestamp>,
) -> Vec<u8> {
    let entries: Vec<RevokedCert> = revoked
        .iter()
        .map(|serial| RevokedCert {
            serial_number: SerialNumber::from(*serial),
            revocation_date: time(this_update),
            crl_entry_extensions: None,
        })
        .collect();
    let authority_key_id =
        AuthorityKeyIdentifier::try_from(authority.key.public_key_info().owned_to_ref())
            .expect("derive the authority key identifier")
            .to_extension(&authority.name, &[])
            .expect("encode the authority key identifier");
    let (algorithm, _) = authority.key.sign(&[]);
    let tbs = TbsCertList {
        version: x509_cert::Version::V2,
        signature: algorithm,
        issuer: authority.name.clone(),
        this_update: time(this_update),
        next_update: next_update.map(time),
        // RFC 5280 section 5.1.2.6: an empty list is left out.
        revoked_certificates: (!entries.is_empty()).then_some(entries),
        crl_extensions: Some(vec![authority_key_id]),
    };
    let tbs_der = tbs.to_der().expect("encode the CRL body");
    let (signature_algorithm, signature) = authority.key.sign(&tbs_der);
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm,
        signature,
    }
    .to_der()
    .expect("encode the CRL")
}

fn name(rfc4514: &str) -> Name {
    Name::from_str(rfc4514).expect("parse a test CA name")
}

/// Builds a subject with one attribute per relative distinguished name,
/// in the given order.
fn subject(attributes: &[(String, Tag, String)]) -> Name {
    RdnSequence(
        attributes
            .iter()
            .map(|(oid, tag, value)| {
                let attribute = AttributeTypeAndValue {
                    oid: oid.parse().expect("parse a subject OID"),
                    value: Any::new(*tag, value.as_bytes()).expect("encode a subject value"),
                };
                RelativeDistinguishedName(
                    SetOfVec::try_from(vec![attribute]).expect("make a one-attribute RDN"),
                )
            })
            .collect(),
    )
}

fn validity(not_before: Timestamp, not_after: Timestamp) -> Validity {
    Validity {
        not_before: time(not_before),
        not_after: time(not_after),
    }
}

/// Encodes a time as RFC 5280 section 4.1.2.5 requires: UTCTime through 2049,
/// GeneralizedTime after.
fn time(instant: Timestamp) -> Time {
    let seconds = u64::try_from(instant.as_second()).expect("a test time after 1970");
    let since_epoch = Duration::from_secs(seconds);
    match UtcTime::from_unix_duration(since_epoch) {
        Ok(utc) => Time::UtcTime(utc),
        Err(_) => Time::GeneralTime(
            GeneralizedTime::from_unix_duration(since_epoch).expect("a test time before 9999"),
        ),
    }
}
