//! Reading the virtual chip in-process through the public reader API:
//! BAC, secure messaging, short and extended reads, passive authentication
//! and the faults an operator can meet.

use domain::mrz::{BacInput, Sex};
use hardware::card::emrtd::face;
use hardware::card::emrtd::lds::EfId;
use hardware::card::emrtd::passive::{self, HashCheck, IssuerCheck, SignatureCheck, Verdict};
use hardware::card::sim::profile::sample_fields;
use hardware::card::sim::{ChipProfile, TestIssuer, VirtualChip};
use hardware::card::{
    read_document, Metered, ReadError, ReadOptions, Session, Transport, TransportError,
};

fn sample_profile() -> ChipProfile {
    let lines = sample_fields()
        .to_lines()
        .expect("sample MRZ is valid")
        .to_vec();
    ChipProfile::new(lines, 20_000).expect("synthetic photo encodes")
}

fn sample_input() -> BacInput {
    BacInput::parse_triple("L898902C,690806,940623").expect("sample BAC input is valid")
}

fn short_reads() -> ReadOptions {
    ReadOptions {
        extended_length: false,
        ..ReadOptions::default()
    }
}

#[test]
fn extended_read_returns_document() {
    let issuer = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let expected_dg2 = chip.file(EfId::Dg(2)).unwrap().to_vec();

    let mut metered = Metered::new(&mut chip);
    let document = read_document(&mut metered, &sample_input(), ReadOptions::default()).unwrap();

    assert_eq!(document.mrz.surname, "IVANOVA");
    assert_eq!(document.mrz.given_names, "ANNA");
    assert_eq!(document.mrz.document_number, "L898902C");
    assert_eq!(document.mrz.nationality, "RUS");
    assert_eq!(document.mrz.sex, Sex::Female);
    assert_eq!(document.mrz.birth_date.to_string(), "690806");
    assert_eq!(document.com.data_groups, vec![1, 2]);
    assert_eq!(document.data_groups[1].1, expected_dg2);
    assert!(expected_dg2.len() > 20_000);
    // SELECT AID, GET CHALLENGE, EXTERNAL AUTHENTICATE, then SELECT and
    // one READ BINARY per file (each file fits one extended reply).
    assert_eq!(metered.traffic().commands, 3 + 4 * 2);
}

#[test]
fn face_decodes_to_rgba() {
    let issuer = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
    let image = face::decode_rgba(document.face.as_ref().unwrap()).unwrap();
    assert_eq!((image.width, image.height), (240, 320));
    assert_eq!(image.pixels.len(), 240 * 320 * 4);
}

#[test]
fn short_reads_cope_with_capped_replies() {
    let issuer = TestIssuer::generate().unwrap();
    let mut profile = sample_profile();
    profile.short_reply_cap = 100;
    let mut chip = VirtualChip::new(profile, &issuer).unwrap();
    let expected_dg2 = chip.file(EfId::Dg(2)).unwrap().to_vec();

    let mut metered = Metered::new(&mut chip);
    let document = read_document(&mut metered, &sample_input(), short_reads()).unwrap();
    assert_eq!(document.data_groups[1].1, expected_dg2);
    // At 100 bytes per reply DG2 alone takes over 200 READ BINARY commands.
    assert!(
        metered.traffic().commands > expected_dg2.len() / 100,
        "{:?}",
        metered.traffic()
    );
}

#[test]
fn chip_without_extended_length_falls_back() {
    let issuer = TestIssuer::generate().unwrap();
    let mut profile = sample_profile();
    profile.extended_length = false;
    let mut chip = VirtualChip::new(profile, &issuer).unwrap();
    let expected_dg2 = chip.file(EfId::Dg(2)).unwrap().to_vec();
    let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
    assert_eq!(document.data_groups[1].1, expected_dg2);
}

#[test]
fn passive_auth_without_csca_is_not_a_pass() {
    let issuer = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
    let report = passive::authenticate(&document.sod, &document.data_groups, None);
    assert_eq!(
        report.data_groups,
        vec![(1, HashCheck::Match), (2, HashCheck::Match)]
    );
    assert_eq!(report.signature, SignatureCheck::Valid);
    assert_eq!(report.issuer, IssuerCheck::NotChecked);
    assert_eq!(report.verdict(), Verdict::SignatureValidIssuerNotChecked);
    assert!(report
        .summary()
        .starts_with("signature valid, issuer not checked"));
}

#[test]
fn passive_auth_with_csca_passes() {
    let issuer = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
    let cscas = [issuer.csca_certificate.clone()];
    let report = passive::authenticate(&document.sod, &document.data_groups, Some(&cscas));
    assert!(
        matches!(report.issuer, IssuerCheck::Trusted { .. }),
        "{:?}",
        report.issuer
    );
    assert_eq!(report.verdict(), Verdict::Passed);
}

#[test]
fn passive_auth_with_foreign_csca_fails() {
    let issuer = TestIssuer::generate().unwrap();
    let other = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
    let cscas = [other.csca_certificate.clone()];
    let report = passive::authenticate(&document.sod, &document.data_groups, Some(&cscas));
    assert!(
        matches!(report.issuer, IssuerCheck::NotTrusted(_)),
        "{:?}",
        report.issuer
    );
    assert_eq!(report.verdict(), Verdict::Failed);
}

#[test]
fn tampered_data_group_fails_hash() {
    let issuer = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let other_lines = {
        let mut fields = sample_fields();
        fields.surname = "PETROVA".to_owned();
        fields.to_lines().unwrap()
    };
    let lines: Vec<&str> = other_lines.iter().map(String::as_str).collect();
    chip.replace_file(EfId::Dg(1), hardware::card::emrtd::lds::encode_dg1(&lines));
    let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
    let report = passive::authenticate(&document.sod, &document.data_groups, None);
    assert_eq!(report.data_groups[0], (1, HashCheck::Mismatch));
    assert_eq!(report.signature, SignatureCheck::Valid);
    assert_eq!(report.verdict(), Verdict::Failed);
}

#[test]
fn wrong_mrz_is_access_denied() {
    let issuer = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let wrong = BacInput::parse_triple("L898902C,690807,940623").unwrap();
    let error = read_document(&mut chip, &wrong, ReadOptions::default()).unwrap_err();
    assert!(matches!(error, ReadError::AccessDenied(_)), "{error:?}");
    assert!(error
        .message_ru()
        .contains("Проверьте номер документа, дату рождения"));
    assert!(!error.retry_offered());
}

#[test]
fn absent_data_group_is_reported() {
    let issuer = TestIssuer::generate().unwrap();
    let mut profile = sample_profile();
    profile.with_dg2 = false;
    let mut chip = VirtualChip::new(profile, &issuer).unwrap();

    let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
    assert!(document.face.is_none());

    let mut session = Session::open(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
    let error = session.read_file(EfId::Dg(2)).unwrap_err();
    assert_eq!(error, ReadError::FileAbsent(EfId::Dg(2)));
    assert!(error.message_ru().contains("DG2"));
    assert!(error.message_ru().contains("6A82"));
    // The session survives a missing file.
    assert!(session.read_file(EfId::Dg(1)).is_ok());
}

/// Passes commands to the chip until `remaining` runs out, then behaves
/// as a reader whose card was lifted off.
struct LiftedAfter<'c> {
    chip: &'c mut VirtualChip,
    remaining: usize,
}

impl Transport for LiftedAfter<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.remaining == 0 {
            return Err(TransportError::CardRemoved);
        }
        self.remaining -= 1;
        self.chip.transmit(command)
    }
}

#[test]
fn card_removed_mid_read_offers_retry() {
    let issuer = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let mut lifted = LiftedAfter {
        chip: &mut chip,
        remaining: 12,
    };
    let error = read_document(&mut lifted, &sample_input(), short_reads()).unwrap_err();
    assert_eq!(error, ReadError::CardRemoved);
    assert!(error.retry_offered());
    assert!(error.message_ru().contains("«Повторить»"));

    // Put back: a fresh read succeeds.
    chip.reset();
    assert!(read_document(&mut chip, &sample_input(), ReadOptions::default()).is_ok());
}

/// A contact card without the eMRTD application.
struct NotAPassport;

impl Transport for NotAPassport {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(vec![0x6A, 0x82])
    }
}

#[test]
fn unknown_card_is_not_a_travel_document() {
    let error =
        read_document(&mut NotAPassport, &sample_input(), ReadOptions::default()).unwrap_err();
    assert!(
        matches!(error, ReadError::NotTravelDocument(_)),
        "{error:?}"
    );
    assert!(error.message_ru().contains("не является паспортом"));
}

#[test]
fn rsa_signers_verify() {
    use hardware::card::sim::issuer::DsAlgorithm;
    for algorithm in [DsAlgorithm::RsaPkcs1Sha256, DsAlgorithm::RsaPssSha256] {
        let issuer = TestIssuer::generate_with(algorithm).unwrap();
        let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
        let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();
        let cscas = [issuer.csca_certificate.clone()];
        let report = passive::authenticate(&document.sod, &document.data_groups, Some(&cscas));
        assert_eq!(report.signature, SignatureCheck::Valid, "{algorithm:?}");
        assert_eq!(report.verdict(), Verdict::Passed, "{algorithm:?}");
    }
}

/// Returns the SignedData inside an EF.SOD.
fn signed_data(sod: &[u8]) -> cms::signed_data::SignedData {
    use der::Decode;
    let outer = hardware::card::emrtd::tlv::expect(sod, 0x77).expect("SOD tag");
    let content_info = cms::content_info::ContentInfo::from_der(outer.value).expect("ContentInfo");
    content_info.content.decode_as().expect("SignedData")
}

#[test]
fn signature_of_other_key_fails() {
    use der::asn1::SetOfVec;
    use der::Encode;

    let issuer = TestIssuer::generate().unwrap();
    let other = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(sample_profile(), &issuer).unwrap();
    let document = read_document(&mut chip, &sample_input(), ReadOptions::default()).unwrap();

    // Put the other DS's signature over the same content into our SOD: it
    // is well-formed, but does not verify with our DS certificate.
    let foreign = signed_data(&other.sign_sod(&document.data_groups).unwrap());
    let foreign_signature = foreign
        .signer_infos
        .0
        .iter()
        .next()
        .unwrap()
        .signature
        .clone();
    let mut own = signed_data(&document.sod);
    let mut signers = own.signer_infos.0.into_vec();
    signers[0].signature = foreign_signature;
    own.signer_infos = cms::signed_data::SignerInfos(SetOfVec::try_from(signers).unwrap());
    let content_info = cms::content_info::ContentInfo {
        content_type: const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2"),
        content: der::Any::encode_from(&own).unwrap(),
    };
    let forged = hardware::card::emrtd::tlv::encode(0x77, &content_info.to_der().unwrap());

    let report = passive::authenticate(&forged, &document.data_groups, None);
    assert_eq!(
        report.data_groups,
        vec![(1, HashCheck::Match), (2, HashCheck::Match)]
    );
    assert_eq!(
        report.signature,
        SignatureCheck::Invalid("ECDSA signature does not verify".to_owned())
    );
    assert_eq!(report.verdict(), Verdict::Failed);
}

#[test]
fn unreadable_sod_fails() {
    let report =
        passive::authenticate(&[0x77, 0x03, 0x30, 0x01, 0x00], &[(1, vec![1, 2, 3])], None);
    assert!(report.sod_error.is_some());
    assert_eq!(report.verdict(), Verdict::Failed);
}

#[test]
fn large_dg2_reads_past_32k() {
    let issuer = TestIssuer::generate().unwrap();
    let lines = sample_fields().to_lines().unwrap().to_vec();

    // Short reads pass offset 32767 at 40 KB; extended reads of 32767 bytes
    // pass it only after two chunks, hence 70 KB.
    for (photo_bytes, options) in [(40_000, short_reads()), (70_000, ReadOptions::default())] {
        let profile = ChipProfile::new(lines.clone(), photo_bytes).unwrap();
        let mut chip = VirtualChip::new(profile, &issuer).unwrap();
        let expected_dg2 = chip.file(EfId::Dg(2)).unwrap().to_vec();
        assert!(expected_dg2.len() > photo_bytes);

        let document = read_document(&mut chip, &sample_input(), options).unwrap();
        assert_eq!(
            document.data_groups[1].1, expected_dg2,
            "{photo_bytes} bytes"
        );
        let report = passive::authenticate(&document.sod, &document.data_groups, None);
        assert_eq!(report.data_groups[1], (2, HashCheck::Match));
        let image = face::decode_rgba(document.face.as_ref().unwrap()).unwrap();
        assert_eq!((image.width, image.height), (240, 320));
    }
}
