//! A test document issuer: a country signing CA (CSCA) and a document
//! signer (DS), both P-256 keys made fresh on every run, and the EF.SOD
//! they sign over a chip's data groups.
//!
//! The keys exist only in memory; the CSCA certificate can be written out
//! so a reader can be pointed at it as its CSCA directory. Nothing here is
//! fit for issuing real documents.

use std::str::FromStr;
use std::time::Duration;

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Encode, Tag};
use p256::ecdsa::{DerSignature, SigningKey};
use rand_core::OsRng;
use sha2::{Digest, Sha256};
use signature::Signer;
use spki::{AlgorithmIdentifierOwned, EncodePublicKey, SubjectPublicKeyInfoOwned};
use x509_cert::attr::Attribute;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;
use x509_cert::Certificate;

use crate::card::emrtd::passive::{DataGroupHash, LdsSecurityObject, ID_LDS_SECURITY_OBJECT};
use crate::card::emrtd::tlv;

const ID_CONTENT_TYPE: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNED_DATA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_SHA256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ECDSA_WITH_SHA256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const SHA256_WITH_RSA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSASSA_PSS: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// Why the test issuer could not build something.
#[derive(Debug, thiserror::Error)]
#[error("test issuer: {0}")]
pub struct IssuerError(String);

impl IssuerError {
    pub fn new(detail: impl Into<String>) -> Self {
        IssuerError(detail.into())
    }
}

fn issuer_error(context: &'static str) -> impl Fn(String) -> IssuerError {
    move |detail| IssuerError(format!("{context}: {detail}"))
}

/// The document signer's signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DsAlgorithm {
    /// ECDSA on P-256 with SHA-256.
    EcdsaP256,
    /// RSA 2048 PKCS#1 v1.5 with SHA-256.
    RsaPkcs1Sha256,
    /// RSA 2048 RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    RsaPssSha256,
}

enum DsKey {
    Ecdsa(SigningKey),
    Rsa(Box<rsa::RsaPrivateKey>, DsAlgorithm),
}

/// The test CSCA and DS with their keys.
pub struct TestIssuer {
    pub csca_certificate: Certificate,
    pub ds_certificate: Certificate,
    ds_key: DsKey,
}

fn certificate(
    profile: Profile,
    serial: u8,
    subject: &Name,
    public_key: &impl EncodePublicKey,
    signer: &SigningKey,
) -> Result<Certificate, IssuerError> {
    let spki_der = public_key
        .to_public_key_der()
        .map_err(|e| IssuerError(e.to_string()))?;
    let spki = SubjectPublicKeyInfoOwned::try_from(spki_der.as_bytes())
        .map_err(|e| IssuerError(e.to_string()))?;
    let validity = Validity::from_now(Duration::from_secs(10 * 365 * 24 * 3600))
        .map_err(|e| IssuerError(e.to_string()))?;
    let serial = SerialNumber::new(&[serial]).map_err(|e| IssuerError(e.to_string()))?;
    let builder = CertificateBuilder::new(profile, serial, validity, subject.clone(), spki, signer)
        .map_err(|e| IssuerError(e.to_string()))?;
    builder
        .build::<DerSignature>()
        .map_err(|e| IssuerError(e.to_string()))
}

impl TestIssuer {
    /// Makes a fresh P-256 CSCA (`CN=Okno Test CSCA`) and a P-256 DS under it.
    pub fn generate() -> Result<Self, IssuerError> {
        Self::generate_with(DsAlgorithm::EcdsaP256)
    }

    /// Makes a fresh P-256 CSCA and a DS of the given scheme under it.
    /// RSA key generation takes a second or more in debug builds.
    pub fn generate_with(algorithm: DsAlgorithm) -> Result<Self, IssuerError> {
        let csca_key = SigningKey::random(&mut OsRng);
        let ds_key = match algorithm {
            DsAlgorithm::EcdsaP256 => DsKey::Ecdsa(SigningKey::random(&mut OsRng)),
            rsa_algorithm => DsKey::Rsa(
                Box::new(
                    rsa::RsaPrivateKey::new(&mut OsRng, 2048)
                        .map_err(|e| IssuerError(e.to_string()))?,
                ),
                rsa_algorithm,
            ),
        };
        let csca_name = Name::from_str("CN=Okno Test CSCA,O=Okno test issuer,C=RU")
            .map_err(|e| IssuerError(e.to_string()))?;
        let ds_name = Name::from_str("CN=Okno Test DS,O=Okno test issuer,C=RU")
            .map_err(|e| IssuerError(e.to_string()))?;

        let csca_certificate = certificate(
            Profile::Root,
            1,
            &csca_name,
            &p256::PublicKey::from(csca_key.verifying_key()),
            &csca_key,
        )?;
        let ds_profile = Profile::Leaf {
            issuer: csca_name,
            enable_key_agreement: false,
            enable_key_encipherment: false,
        };
        let ds_certificate = match &ds_key {
            DsKey::Ecdsa(key) => {
                let public = p256::PublicKey::from(key.verifying_key());
                certificate(ds_profile, 2, &ds_name, &public, &csca_key)?
            }
            DsKey::Rsa(key, _) => {
                certificate(ds_profile, 2, &ds_name, &key.to_public_key(), &csca_key)?
            }
        };
        Ok(TestIssuer {
            csca_certificate,
            ds_certificate,
            ds_key,
        })
    }

    /// Returns the CSCA certificate in DER, for a reader's CSCA directory.
    pub fn csca_der(&self) -> Result<Vec<u8>, IssuerError> {
        self.csca_certificate
            .to_der()
            .map_err(|e| IssuerError(e.to_string()))
    }

    /// Signs `message` with the DS key; returns the signature bytes and
    /// the CMS signature algorithm identifier.
    fn sign(&self, message: &[u8]) -> Result<(Vec<u8>, AlgorithmIdentifierOwned), IssuerError> {
        use rsa::signature::{RandomizedSigner, SignatureEncoding};
        match &self.ds_key {
            DsKey::Ecdsa(key) => {
                let signature: DerSignature = key.sign(message);
                Ok((
                    signature.as_bytes().to_vec(),
                    AlgorithmIdentifierOwned {
                        oid: ECDSA_WITH_SHA256,
                        parameters: None,
                    },
                ))
            }
            DsKey::Rsa(key, DsAlgorithm::RsaPssSha256) => {
                let signer =
                    rsa::pss::SigningKey::<Sha256>::new_with_salt_len(key.as_ref().clone(), 32);
                let signature = signer.sign_with_rng(&mut OsRng, message).to_vec();
                let params = rsa::pkcs1::RsaPssParams::new::<Sha256>(32);
                let parameters =
                    Any::encode_from(&params).map_err(|e| IssuerError(e.to_string()))?;
                Ok((
                    signature,
                    AlgorithmIdentifierOwned {
                        oid: RSASSA_PSS,
                        parameters: Some(parameters),
                    },
                ))
            }
            DsKey::Rsa(key, _) => {
                let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.as_ref().clone());
                let signature = signer.sign(message).to_vec();
                let null =
                    Any::new(Tag::Null, Vec::new()).map_err(|e| IssuerError(e.to_string()))?;
                Ok((
                    signature,
                    AlgorithmIdentifierOwned {
                        oid: SHA256_WITH_RSA,
                        parameters: Some(null),
                    },
                ))
            }
        }
    }

    /// Builds EF.SOD over data groups: a SHA-256 LDS security object in a
    /// CMS SignedData signed by the DS, carrying the DS
    /// certificate.
    pub fn sign_sod(&self, data_groups: &[(u8, Vec<u8>)]) -> Result<Vec<u8>, IssuerError> {
        let sha256 = AlgorithmIdentifierOwned {
            oid: ID_SHA256,
            parameters: None,
        };
        let security_object = LdsSecurityObject {
            version: 0,
            hash_algorithm: sha256.clone(),
            data_group_hash_values: data_groups
                .iter()
                .map(|(number, bytes)| {
                    OctetString::new(Sha256::digest(bytes).to_vec()).map(|hash| DataGroupHash {
                        data_group_number: *number,
                        data_group_hash_value: hash,
                    })
                })
                .collect::<Result<_, _>>()
                .map_err(|e| IssuerError(e.to_string()))?,
            lds_version_info: None,
        };
        let econtent = security_object
            .to_der()
            .map_err(|e| IssuerError(e.to_string()))?;
        let build = issuer_error("SOD");
        let wrap = |e: der::Error| build(e.to_string());

        let content_type = Attribute {
            oid: ID_CONTENT_TYPE,
            values: SetOfVec::try_from(vec![
                Any::encode_from(&ID_LDS_SECURITY_OBJECT).map_err(wrap)?
            ])
            .map_err(wrap)?,
        };
        let message_digest = Attribute {
            oid: ID_MESSAGE_DIGEST,
            values: SetOfVec::try_from(vec![Any::new(
                Tag::OctetString,
                Sha256::digest(&econtent).to_vec(),
            )
            .map_err(wrap)?])
            .map_err(wrap)?,
        };
        let signed_attrs = SetOfVec::try_from(vec![content_type, message_digest]).map_err(wrap)?;
        let to_sign = signed_attrs.to_der().map_err(wrap)?;
        let (signature, signature_algorithm) = self.sign(&to_sign)?;

        let tbs = &self.ds_certificate.tbs_certificate;
        let signer_info = SignerInfo {
            version: cms::content_info::CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(cms::cert::IssuerAndSerialNumber {
                issuer: tbs.issuer.clone(),
                serial_number: tbs.serial_number.clone(),
            }),
            digest_alg: sha256.clone(),
            signed_attrs: Some(signed_attrs),
            signature_algorithm,
            signature: OctetString::new(signature).map_err(wrap)?,
            unsigned_attrs: None,
        };
        let signed_data = SignedData {
            version: cms::content_info::CmsVersion::V3,
            digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(wrap)?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ID_LDS_SECURITY_OBJECT,
                econtent: Some(Any::new(Tag::OctetString, econtent).map_err(wrap)?),
            },
            certificates: Some(CertificateSet(
                SetOfVec::try_from(vec![CertificateChoices::Certificate(
                    self.ds_certificate.clone(),
                )])
                .map_err(wrap)?,
            )),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(wrap)?),
        };
        let content_info = ContentInfo {
            content_type: ID_SIGNED_DATA,
            content: Any::encode_from(&signed_data).map_err(wrap)?,
        };
        Ok(tlv::encode(0x77, &content_info.to_der().map_err(wrap)?))
    }
}
