//! Passive authentication (ICAO 9303 Part 11): the hashes of the data
//! groups read match those in EF.SOD's LDS security object, the SOD's CMS
//! signature verifies with the document signer (DS) certificate inside it,
//! and, given a directory of country signing CA (CSCA) certificates, the DS
//! certificate verifies with one of them.
//!
//! Without a CSCA directory the result is
//! [`Verdict::SignatureValidIssuerNotChecked`], never a pass: anyone can
//! sign a SOD with a certificate they made themselves.
//!
//! Supported signatures: ECDSA on P-256 and P-384, RSA PKCS#1 v1.5 and
//! RSASSA-PSS (MGF1 with the same hash), each with SHA-1 or SHA-2.
//! Brainpool curves are reported as unsupported rather than failed.
//! NOTE: certificate validity periods and revocation lists are not checked.

use std::path::Path;

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::tlv;

/// OID of the LDS security object (id-icao-mrtd-security-ldsSecurityObject).
pub const ID_LDS_SECURITY_OBJECT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.1");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

const ECDSA_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const ECDSA_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const RSA_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.14");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const CURVE_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const CURVE_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// ASN.1 `DataGroupHash` of ICAO 9303 Part 10.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct DataGroupHash {
    pub data_group_number: u8,
    pub data_group_hash_value: OctetString,
}

/// ASN.1 `LDSSecurityObject` of ICAO 9303 Part 10 (version 0, without
/// the optional LDS version info; version 1 objects with it also decode).
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct LdsSecurityObject {
    pub version: u8,
    pub hash_algorithm: AlgorithmIdentifierOwned,
    pub data_group_hash_values: Vec<DataGroupHash>,
    #[asn1(optional = "true")]
    pub lds_version_info: Option<der::Any>,
}

/// A hash algorithm named in the SOD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            SHA1 => HashAlgorithm::Sha1,
            SHA224 => HashAlgorithm::Sha224,
            SHA256 => HashAlgorithm::Sha256,
            SHA384 => HashAlgorithm::Sha384,
            SHA512 => HashAlgorithm::Sha512,
            _ => return None,
        })
    }

    pub fn oid(self) -> ObjectIdentifier {
        match self {
            HashAlgorithm::Sha1 => SHA1,
            HashAlgorithm::Sha224 => SHA224,
            HashAlgorithm::Sha256 => SHA256,
            HashAlgorithm::Sha384 => SHA384,
            HashAlgorithm::Sha512 => SHA512,
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            HashAlgorithm::Sha1 => sha1::Sha1::digest(data).to_vec(),
            HashAlgorithm::Sha224 => sha2::Sha224::digest(data).to_vec(),
            HashAlgorithm::Sha256 => sha2::Sha256::digest(data).to_vec(),
            HashAlgorithm::Sha384 => sha2::Sha384::digest(data).to_vec(),
            HashAlgorithm::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

/// Outcome of comparing one data group with its hash in the SOD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashCheck {
    Match,
    Mismatch,
    /// The SOD lists no hash for this data group.
    NotInSod,
}

/// Outcome of the SOD's signature check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    Valid,
    Invalid(String),
    Unsupported(String),
}

/// Outcome of the DS certificate's check against the CSCA directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuerCheck {
    /// No CSCA directory was configured.
    NotChecked,
    /// The DS certificate verifies with the CSCA certificate of this subject.
    Trusted {
        csca_subject: String,
    },
    NotTrusted(String),
}

/// The overall result shown to the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// Hashes and signature are valid, but no CSCA certificate vouched for the signer.
    SignatureValidIssuerNotChecked,
    Failed,
}

/// Everything passive authentication found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassiveAuthReport {
    pub hash_algorithm: Option<HashAlgorithm>,
    pub data_groups: Vec<(u8, HashCheck)>,
    pub signature: SignatureCheck,
    pub issuer: IssuerCheck,
    /// Set when the SOD itself could not be parsed; nothing else is then meaningful.
    pub sod_error: Option<String>,
}

impl PassiveAuthReport {
    pub fn verdict(&self) -> Verdict {
        let hashes_ok = !self.data_groups.is_empty()
            && self
                .data_groups
                .iter()
                .all(|(_, check)| *check == HashCheck::Match);
        if self.sod_error.is_some() || !hashes_ok || self.signature != SignatureCheck::Valid {
            return Verdict::Failed;
        }
        match self.issuer {
            IssuerCheck::Trusted { .. } => Verdict::Passed,
            IssuerCheck::NotChecked => Verdict::SignatureValidIssuerNotChecked,
            IssuerCheck::NotTrusted(_) => Verdict::Failed,
        }
    }

    /// Formats the report as one line for technicians' tools and logs (no personal data).
    pub fn summary(&self) -> String {
        let groups: Vec<String> = self
            .data_groups
            .iter()
            .map(|(number, check)| format!("DG{number} {check:?}"))
            .collect();
        let verdict = match self.verdict() {
            Verdict::Passed => "passed",
            Verdict::SignatureValidIssuerNotChecked => "signature valid, issuer not checked",
            Verdict::Failed => "FAILED",
        };
        let mut line = format!(
            "{verdict}; hashes: {}; signature: {:?}; issuer: {:?}",
            groups.join(", "),
            self.signature,
            self.issuer
        );
        if let Some(error) = &self.sod_error {
            line.push_str(&format!("; SOD: {error}"));
        }
        line
    }

    /// Returns the verdict as the operator reads it.
    pub fn message_ru(&self) -> &'static str {
        match self.verdict() {
            Verdict::Passed => "Подлинность данных чипа подтверждена: подпись и сертификат издателя проверены.",
            Verdict::SignatureValidIssuerNotChecked => {
                "Подпись данных чипа верна, но издатель не проверен: не настроен каталог сертификатов CSCA."
            }
            Verdict::Failed => {
                "Проверка подлинности данных чипа не пройдена. Сверьте документ вручную и сообщите старшему смены."
            }
        }
    }
}

/// The parts of EF.SOD passive authentication needs.
pub struct Sod {
    signed_data: SignedData,
    /// The DER of the LDS security object, as signed.
    econtent: Vec<u8>,
    pub security_object: LdsSecurityObject,
}

impl Sod {
    /// Parses EF.SOD (tag `77` around a CMS ContentInfo).
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let outer = tlv::expect(bytes, 0x77).map_err(|err| err.to_string())?;
        let content_info =
            ContentInfo::from_der(outer.value).map_err(|err| format!("ContentInfo: {err}"))?;
        let signed_data: SignedData = content_info
            .content
            .decode_as()
            .map_err(|err| format!("SignedData: {err}"))?;
        let encap = &signed_data.encap_content_info;
        if encap.econtent_type != ID_LDS_SECURITY_OBJECT {
            return Err(format!(
                "content type {} is not the LDS security object",
                encap.econtent_type
            ));
        }
        let econtent = encap
            .econtent
            .as_ref()
            .ok_or("SignedData has no encapsulated content")?;
        let octets: OctetString = econtent
            .decode_as()
            .map_err(|err| format!("eContent: {err}"))?;
        let econtent = octets.as_bytes().to_vec();
        let security_object = LdsSecurityObject::from_der(&econtent)
            .map_err(|err| format!("LDSSecurityObject: {err}"))?;
        Ok(Sod {
            signed_data,
            econtent,
            security_object,
        })
    }

    /// Returns the document signer certificate the SOD carries.
    pub fn signer_certificate(&self) -> Result<(&SignerInfo, &Certificate), String> {
        let signer = self
            .signed_data
            .signer_infos
            .0
            .iter()
            .next()
            .ok_or("SignedData has no signer")?;
        let certificates: Vec<&Certificate> = self
            .signed_data
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|choice| match choice {
                CertificateChoices::Certificate(cert) => Some(cert),
                _ => None,
            })
            .collect();
        let found = match &signer.sid {
            SignerIdentifier::IssuerAndSerialNumber(id) => certificates.iter().find(|cert| {
                cert.tbs_certificate.issuer == id.issuer
                    && cert.tbs_certificate.serial_number == id.serial_number
            }),
            SignerIdentifier::SubjectKeyIdentifier(_) => certificates.first(),
        };
        let certificate =
            found.ok_or("the SOD does not contain its document signer certificate")?;
        Ok((signer, certificate))
    }

    /// Verifies the CMS signature with the DS certificate inside the SOD.
    pub fn verify_signature(&self) -> SignatureCheck {
        let (signer, certificate) = match self.signer_certificate() {
            Ok(found) => found,
            Err(reason) => return SignatureCheck::Invalid(reason),
        };
        let Some(digest_alg) = HashAlgorithm::from_oid(&signer.digest_alg.oid) else {
            return SignatureCheck::Unsupported(format!(
                "digest algorithm {}",
                signer.digest_alg.oid
            ));
        };

        // With signed attributes, the signature covers their DER (as a SET)
        // and the messageDigest attribute must equal the content's hash.
        let message = match &signer.signed_attrs {
            Some(attributes) => {
                let digest = attributes
                    .iter()
                    .find(|attribute| attribute.oid == ID_MESSAGE_DIGEST)
                    .and_then(|attribute| attribute.values.iter().next())
                    .and_then(|value| value.decode_as::<OctetString>().ok());
                let Some(digest) = digest else {
                    return SignatureCheck::Invalid(
                        "signed attributes lack messageDigest".to_owned(),
                    );
                };
                if digest.as_bytes() != digest_alg.digest(&self.econtent).as_slice() {
                    return SignatureCheck::Invalid(
                        "messageDigest does not match the LDS security object".to_owned(),
                    );
                }
                match attributes.to_der() {
                    Ok(der) => der,
                    Err(err) => {
                        return SignatureCheck::Invalid(format!("signed attributes: {err}"))
                    }
                }
            }
            None => self.econtent.clone(),
        };
        verify(
            &certificate.tbs_certificate.subject_public_key_info,
            &signer.signature_algorithm,
            Some(digest_alg),
            &message,
            signer.signature.as_bytes(),
        )
    }

    /// Compares data groups with the SOD's hashes.
    pub fn check_hashes(
        &self,
        data_groups: &[(u8, Vec<u8>)],
    ) -> (Option<HashAlgorithm>, Vec<(u8, HashCheck)>) {
        let algorithm = HashAlgorithm::from_oid(&self.security_object.hash_algorithm.oid);
        let checks = data_groups
            .iter()
            .map(|(number, bytes)| {
                let listed = self
                    .security_object
                    .data_group_hash_values
                    .iter()
                    .find(|hash| hash.data_group_number == *number);
                let check = match (listed, algorithm) {
                    (None, _) => HashCheck::NotInSod,
                    (Some(_), None) => HashCheck::Mismatch,
                    (Some(hash), Some(algorithm)) => {
                        if hash.data_group_hash_value.as_bytes()
                            == algorithm.digest(bytes).as_slice()
                        {
                            HashCheck::Match
                        } else {
                            HashCheck::Mismatch
                        }
                    }
                };
                (*number, check)
            })
            .collect();
        (algorithm, checks)
    }
}

/// Verifies `signature` over `message` with a public key.
fn verify(
    key: &spki::SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    default_digest: Option<HashAlgorithm>,
    message: &[u8],
    signature: &[u8],
) -> SignatureCheck {
    // RSASSA-PSS names its hash and salt length in the parameters.
    let mut pss_salt = None;
    let digest = match algorithm.oid {
        ECDSA_SHA1 | RSA_SHA1 => HashAlgorithm::Sha1,
        ECDSA_SHA224 | RSA_SHA224 => HashAlgorithm::Sha224,
        ECDSA_SHA256 | RSA_SHA256 => HashAlgorithm::Sha256,
        ECDSA_SHA384 | RSA_SHA384 => HashAlgorithm::Sha384,
        ECDSA_SHA512 | RSA_SHA512 => HashAlgorithm::Sha512,
        RSASSA_PSS => {
            let params = algorithm
                .parameters
                .as_ref()
                .and_then(|params| params.decode_as::<rsa::pkcs1::RsaPssParams<'_>>().ok());
            let Some(params) = params else {
                return SignatureCheck::Invalid("RSASSA-PSS parameters are malformed".to_owned());
            };
            let Some(digest) = HashAlgorithm::from_oid(&params.hash.oid) else {
                return SignatureCheck::Unsupported(format!("RSASSA-PSS hash {}", params.hash.oid));
            };
            pss_salt = Some(usize::from(params.salt_len));
            digest
        }
        EC_PUBLIC_KEY | RSA_ENCRYPTION => match default_digest {
            Some(digest) => digest,
            None => {
                return SignatureCheck::Unsupported(format!(
                    "signature algorithm {} without a digest",
                    algorithm.oid
                ))
            }
        },
        other => return SignatureCheck::Unsupported(format!("signature algorithm {other}")),
    };
    let hashed = digest.digest(message);

    let invalid = |what: &str| SignatureCheck::Invalid(what.to_owned());
    match key.algorithm.oid {
        EC_PUBLIC_KEY => {
            use ecdsa::signature::hazmat::PrehashVerifier;
            let curve = key
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            let point = key.subject_public_key.raw_bytes();
            let verified = match curve {
                Some(CURVE_P256) => {
                    let Ok(verifying) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                        return invalid("P-256 public key is malformed");
                    };
                    let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
                        return invalid("ECDSA signature is malformed");
                    };
                    verifying.verify_prehash(&hashed, &sig).is_ok()
                }
                Some(CURVE_P384) => {
                    let Ok(verifying) = p384::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                        return invalid("P-384 public key is malformed");
                    };
                    let Ok(sig) = p384::ecdsa::Signature::from_der(signature) else {
                        return invalid("ECDSA signature is malformed");
                    };
                    verifying.verify_prehash(&hashed, &sig).is_ok()
                }
                Some(other) => {
                    return SignatureCheck::Unsupported(format!("elliptic curve {other}"))
                }
                None => {
                    return SignatureCheck::Unsupported(
                        "elliptic curve given by explicit parameters".to_owned(),
                    )
                }
            };
            if verified {
                SignatureCheck::Valid
            } else {
                invalid("ECDSA signature does not verify")
            }
        }
        RSA_ENCRYPTION | RSASSA_PSS => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            // The key is an RSAPublicKey inside the SPKI bit string, whichever
            // of the two algorithm identifiers labels it.
            let Ok(public) = rsa::RsaPublicKey::from_pkcs1_der(key.subject_public_key.raw_bytes())
            else {
                return invalid("RSA public key is malformed");
            };
            let verified = match pss_salt {
                Some(salt) => {
                    let scheme = match digest {
                        HashAlgorithm::Sha1 => rsa::Pss::new_with_salt::<sha1::Sha1>(salt),
                        HashAlgorithm::Sha224 => rsa::Pss::new_with_salt::<sha2::Sha224>(salt),
                        HashAlgorithm::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt),
                        HashAlgorithm::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
                        HashAlgorithm::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
                    };
                    public.verify(scheme, &hashed, signature)
                }
                None => {
                    let scheme = match digest {
                        HashAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                        HashAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
                        HashAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                        HashAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                        HashAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                    };
                    public.verify(scheme, &hashed, signature)
                }
            };
            match verified {
                Ok(()) => SignatureCheck::Valid,
                Err(_) => invalid("RSA signature does not verify"),
            }
        }
        other => SignatureCheck::Unsupported(format!("public key algorithm {other}")),
    }
}

/// Loads CSCA certificates (DER or PEM; `.der`, `.cer`, `.crt`, `.pem`)
/// from a directory. Unreadable files are skipped with a warning.
pub fn load_csca_directory(directory: &Path) -> std::io::Result<Vec<Certificate>> {
    use der::DecodePem;
    let mut certificates = Vec::new();
    for entry in std::fs::read_dir(directory)? {
        let path = entry?.path();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !["der", "cer", "crt", "pem"].contains(&extension.as_str()) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let parsed = if bytes.starts_with(b"-----BEGIN") {
            Certificate::from_pem(&bytes).map_err(|err| err.to_string())
        } else {
            Certificate::from_der(&bytes).map_err(|err| err.to_string())
        };
        match parsed {
            Ok(certificate) => certificates.push(certificate),
            Err(err) => {
                tracing::warn!(path = %path.display(), cause = %err, "skipping unreadable CSCA certificate")
            }
        }
    }
    Ok(certificates)
}

/// Checks that `certificate` was signed by one of `cscas`.
pub fn check_issuer(certificate: &Certificate, cscas: &[Certificate]) -> IssuerCheck {
    let issuer = &certificate.tbs_certificate.issuer;
    let candidates: Vec<&Certificate> = cscas
        .iter()
        .filter(|csca| &csca.tbs_certificate.subject == issuer)
        .collect();
    if candidates.is_empty() {
        return IssuerCheck::NotTrusted(format!("no CSCA certificate with subject {issuer}"));
    }
    let Ok(tbs) = certificate.tbs_certificate.to_der() else {
        return IssuerCheck::NotTrusted("DS certificate does not re-encode".to_owned());
    };
    let Some(signature) = certificate.signature.as_bytes() else {
        return IssuerCheck::NotTrusted("DS certificate signature has unused bits".to_owned());
    };
    for csca in candidates {
        let check = verify(
            &csca.tbs_certificate.subject_public_key_info,
            &certificate.signature_algorithm,
            None,
            &tbs,
            signature,
        );
        if check == SignatureCheck::Valid {
            return IssuerCheck::Trusted {
                csca_subject: csca.tbs_certificate.subject.to_string(),
            };
        }
    }
    IssuerCheck::NotTrusted(format!(
        "DS certificate does not verify with the CSCA {issuer}"
    ))
}

/// Runs passive authentication over the data groups read and EF.SOD.
/// `cscas` is `None` when no CSCA directory is configured.
pub fn authenticate(
    sod_bytes: &[u8],
    data_groups: &[(u8, Vec<u8>)],
    cscas: Option<&[Certificate]>,
) -> PassiveAuthReport {
    let sod = match Sod::parse(sod_bytes) {
        Ok(sod) => sod,
        Err(error) => {
            return PassiveAuthReport {
                hash_algorithm: None,
                data_groups: Vec::new(),
                signature: SignatureCheck::Invalid("SOD unreadable".to_owned()),
                issuer: IssuerCheck::NotChecked,
                sod_error: Some(error),
            }
        }
    };
    let (hash_algorithm, checks) = sod.check_hashes(data_groups);
    let signature = sod.verify_signature();
    let issuer = match (cscas, sod.signer_certificate()) {
        (None, _) => IssuerCheck::NotChecked,
        (Some(cscas), Ok((_, certificate))) => check_issuer(certificate, cscas),
        (Some(_), Err(reason)) => IssuerCheck::NotTrusted(reason),
    };
    PassiveAuthReport {
        hash_algorithm,
        data_groups: checks,
        signature,
        issuer,
        sod_error: None,
    }
}
