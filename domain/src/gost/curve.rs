//! The GOST R 34.10 curve parameter sets a qualified certificate can name,
//! by OID, with their domain parameters in short Weierstrass form.
//!
//! The constants are taken from the OpenSSL GOST engine's `gost_params.c`,
//! which carries the sets of RFC 4357 (CryptoPro) and RFC 7836 (TC26).
//! The 512-bit test set is the curve of RFC 7091 Appendix A.2, as other
//! implementations' tests reproduce it. The TC26 256-bit set A and
//! 512-bit set C are twisted Edwards curves, and they are used here in the
//! Weierstrass form that RFC 7836 gives next to the Edwards one. A test
//! checks for every set that the base point is on the curve and has order
//! `q`, so a mistyped constant fails the build's tests.

use std::sync::OnceLock;

use num_bigint::BigUint;

use super::point::{AffinePoint, WeierstrassCurve};

/// A GOST R 34.10 elliptic-curve parameter set.
///
/// Several OIDs name the same parameters: the TC26 256-bit sets B, C and D
/// are the CryptoPro sets A, B and C, and the CryptoPro key-exchange sets
/// XchA and XchB are CryptoPro A and C. [`GostCurve::from_oid`] maps every
/// alias to one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GostCurve {
    /// id-GostR3410-2001-TestParamSet (1.2.643.2.2.35.0), the curve of the
    /// RFC 7091 256-bit example. Not for real keys.
    Test256,
    /// id-GostR3410-2001-CryptoPro-A-ParamSet (1.2.643.2.2.35.1), also
    /// TC26 256-bit set B and CryptoPro XchA.
    CryptoProA,
    /// id-GostR3410-2001-CryptoPro-B-ParamSet (1.2.643.2.2.35.2), also
    /// TC26 256-bit set C.
    CryptoProB,
    /// id-GostR3410-2001-CryptoPro-C-ParamSet (1.2.643.2.2.35.3), also
    /// TC26 256-bit set D and CryptoPro XchB.
    CryptoProC,
    /// id-tc26-gost-3410-2012-256-paramSetA (1.2.643.7.1.2.1.1.1), a
    /// twisted Edwards curve with cofactor 4.
    Tc26Gost256A,
    /// id-tc26-gost-3410-2012-512-paramSetTest (1.2.643.7.1.2.1.2.0), the
    /// curve of the RFC 7091 512-bit example. Not for real keys.
    Test512,
    /// id-tc26-gost-3410-12-512-paramSetA (1.2.643.7.1.2.1.2.1).
    Tc26Gost512A,
    /// id-tc26-gost-3410-12-512-paramSetB (1.2.643.7.1.2.1.2.2).
    Tc26Gost512B,
    /// id-tc26-gost-3410-2012-512-paramSetC (1.2.643.7.1.2.1.2.3), a
    /// twisted Edwards curve with cofactor 4.
    Tc26Gost512C,
}

/// The size of a GOST R 34.10-2012 key, which fixes the Streebog variant,
/// the coordinate length and the signature length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GostKeySize {
    /// 256-bit keys (SPKI algorithm 1.2.643.7.1.1.1.1), hashed with
    /// Streebog-256.
    Bits256,
    /// 512-bit keys (SPKI algorithm 1.2.643.7.1.1.1.2), hashed with
    /// Streebog-512.
    Bits512,
}

impl GostKeySize {
    /// Returns the length in bytes of one coordinate, of `r` or of `s`.
    pub fn coordinate_len(self) -> usize {
        match self {
            GostKeySize::Bits256 => 32,
            GostKeySize::Bits512 => 64,
        }
    }

    /// Returns the length in bytes of a signature (`s || r`).
    pub fn signature_len(self) -> usize {
        2 * self.coordinate_len()
    }
}

impl GostCurve {
    /// Every parameter set, once each.
    pub const ALL: [GostCurve; 9] = [
        GostCurve::Test256,
        GostCurve::CryptoProA,
        GostCurve::CryptoProB,
        GostCurve::CryptoProC,
        GostCurve::Tc26Gost256A,
        GostCurve::Test512,
        GostCurve::Tc26Gost512A,
        GostCurve::Tc26Gost512B,
        GostCurve::Tc26Gost512C,
    ];

    /// Returns the parameter set a dotted OID names, aliases included, or
    /// `None` for an OID that is not a GOST R 34.10 signature curve.
    pub fn from_oid(oid: &str) -> Option<GostCurve> {
        let curve = match oid {
            "1.2.643.2.2.35.0" => GostCurve::Test256,
            "1.2.643.2.2.35.1" | "1.2.643.2.2.36.0" | "1.2.643.7.1.2.1.1.2" => {
                GostCurve::CryptoProA
            }
            "1.2.643.2.2.35.2" | "1.2.643.7.1.2.1.1.3" => GostCurve::CryptoProB,
            "1.2.643.2.2.35.3" | "1.2.643.2.2.36.1" | "1.2.643.7.1.2.1.1.4" => {
                GostCurve::CryptoProC
            }
            "1.2.643.7.1.2.1.1.1" => GostCurve::Tc26Gost256A,
            "1.2.643.7.1.2.1.2.0" => GostCurve::Test512,
            "1.2.643.7.1.2.1.2.1" => GostCurve::Tc26Gost512A,
            "1.2.643.7.1.2.1.2.2" => GostCurve::Tc26Gost512B,
            "1.2.643.7.1.2.1.2.3" => GostCurve::Tc26Gost512C,
            _ => return None,
        };
        Some(curve)
    }

    /// The set's main dotted OID (the CryptoPro one where TC26 gave an
    /// alias).
    pub fn oid(self) -> &'static str {
        match self {
            GostCurve::Test256 => "1.2.643.2.2.35.0",
            GostCurve::CryptoProA => "1.2.643.2.2.35.1",
            GostCurve::CryptoProB => "1.2.643.2.2.35.2",
            GostCurve::CryptoProC => "1.2.643.2.2.35.3",
            GostCurve::Tc26Gost256A => "1.2.643.7.1.2.1.1.1",
            GostCurve::Test512 => "1.2.643.7.1.2.1.2.0",
            GostCurve::Tc26Gost512A => "1.2.643.7.1.2.1.2.1",
            GostCurve::Tc26Gost512B => "1.2.643.7.1.2.1.2.2",
            GostCurve::Tc26Gost512C => "1.2.643.7.1.2.1.2.3",
        }
    }

    /// Returns the key size the curve serves.
    pub fn key_size(self) -> GostKeySize {
        match self {
            GostCurve::Test256
            | GostCurve::CryptoProA
            | GostCurve::CryptoProB
            | GostCurve::CryptoProC
            | GostCurve::Tc26Gost256A => GostKeySize::Bits256,
            GostCurve::Test512
            | GostCurve::Tc26Gost512A
            | GostCurve::Tc26Gost512B
            | GostCurve::Tc26Gost512C => GostKeySize::Bits512,
        }
    }

    /// Tells whether this is one of the example curves of RFC 7091, which
    /// no certification center issues real keys on.
    pub fn is_test(self) -> bool {
        matches!(self, GostCurve::Test256 | GostCurve::Test512)
    }

    /// Returns the curve's domain parameters, parsed on first use.
    pub(crate) fn parameters(self) -> &'static WeierstrassCurve {
        static CACHE: [OnceLock<WeierstrassCurve>; 9] = [const { OnceLock::new() }; 9];
        let index = GostCurve::ALL
            .iter()
            .position(|curve| *curve == self)
            .expect("GostCurve::ALL lists every variant");
        CACHE[index].get_or_init(|| self.constants().parse())
    }

    fn constants(self) -> &'static CurveConstants {
        match self {
            GostCurve::Test256 => &TEST_256,
            GostCurve::CryptoProA => &CRYPTOPRO_A,
            GostCurve::CryptoProB => &CRYPTOPRO_B,
            GostCurve::CryptoProC => &CRYPTOPRO_C,
            GostCurve::Tc26Gost256A => &TC26_256_A,
            GostCurve::Test512 => &TEST_512,
            GostCurve::Tc26Gost512A => &TC26_512_A,
            GostCurve::Tc26Gost512B => &TC26_512_B,
            GostCurve::Tc26Gost512C => &TC26_512_C,
        }
    }
}

/// Domain parameters as big-endian hexadecimal, as the RFCs print them.
struct CurveConstants {
    a: &'static str,
    b: &'static str,
    p: &'static str,
    q: &'static str,
    x: &'static str,
    y: &'static str,
}

impl CurveConstants {
    fn parse(&self) -> WeierstrassCurve {
        WeierstrassCurve {
            p: parse_hex(self.p),
            a: parse_hex(self.a),
            b: parse_hex(self.b),
            q: parse_hex(self.q),
            base: AffinePoint {
                x: parse_hex(self.x),
                y: parse_hex(self.y),
            },
        }
    }
}

fn parse_hex(digits: &str) -> BigUint {
    BigUint::parse_bytes(digits.as_bytes(), 16).expect("curve constants are hexadecimal")
}

const TEST_256: CurveConstants = CurveConstants {
    a: "7",
    b: "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E",
    p: "8000000000000000000000000000000000000000000000000000000000000431",
    q: "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3",
    x: "2",
    y: "08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8",
};

const CRYPTOPRO_A: CurveConstants = CurveConstants {
    a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94",
    b: "A6",
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
    q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
    x: "1",
    y: "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14",
};

const CRYPTOPRO_B: CurveConstants = CurveConstants {
    a: "8000000000000000000000000000000000000000000000000000000000000C96",
    b: "3E1AF419A269A5F866A7D3C25C3DF80AE979259373FF2B182F49D4CE7E1BBC8B",
    p: "8000000000000000000000000000000000000000000000000000000000000C99",
    q: "800000000000000000000000000000015F700CFFF1A624E5E497161BCC8A198F",
    x: "1",
    y: "3FA8124359F96680B83D1C3EB2C070E5C545C9858D03ECFB744BF8D717717EFC",
};

const CRYPTOPRO_C: CurveConstants = CurveConstants {
    a: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D7598",
    b: "805A",
    p: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D759B",
    q: "9B9F605F5A858107AB1EC85E6B41C8AA582CA3511EDDFB74F02F3A6598980BB9",
    x: "0",
    y: "41ECE55743711A8C3CBF3783CD08C0EE4D4DC440D4641A8F366E550DFDB3BB67",
};

const TC26_256_A: CurveConstants = CurveConstants {
    a: "C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335",
    b: "295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513",
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
    q: "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67",
    x: "91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28",
    y: "32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C",
};

const TEST_512: CurveConstants = CurveConstants {
    a: "7",
    b: concat!(
        "1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC43",
        "61834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC"
    ),
    p: concat!(
        "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D",
        "F1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373"
    ),
    q: concat!(
        "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D",
        "A82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF"
    ),
    x: concat!(
        "24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762",
        "FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A"
    ),
    y: concat!(
        "2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C",
        "83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E"
    ),
};

const TC26_512_A: CurveConstants = CurveConstants {
    a: concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4"
    ),
    b: concat!(
        "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265",
        "EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760"
    ),
    p: concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7"
    ),
    q: concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275"
    ),
    x: "3",
    y: concat!(
        "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921",
        "DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4"
    ),
};

const TC26_512_B: CurveConstants = CurveConstants {
    a: concat!(
        "8000000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000000000000000000000000000000000000000006C"
    ),
    b: concat!(
        "687D1B459DC841457E3E06CF6F5E2517B97C7D614AF138BCBF85DC806C4B289F",
        "3E965D2DB1416D217F8B276FAD1AB69C50F78BEE1FA3106EFB8CCBC7C5140116"
    ),
    p: concat!(
        "8000000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000000000000000000000000000000000000000006F"
    ),
    q: concat!(
        "8000000000000000000000000000000000000000000000000000000000000001",
        "49A1EC142565A545ACFDB77BD9D40CFA8B996712101BEA0EC6346C54374F25BD"
    ),
    x: "2",
    y: concat!(
        "1A8F7EDA389B094C2C071E3647A8940F3C123B697578C213BE6DD9E6C8EC7335",
        "DCB228FD1EDF4A39152CBCAAF8C0398828041055F94CEEEC7E21340780FE41BD"
    ),
};

const TC26_512_C: CurveConstants = CurveConstants {
    a: concat!(
        "DC9203E514A721875485A529D2C722FB187BC8980EB866644DE41C68E1430645",
        "46E861C0E2C9EDD92ADE71F46FCF50FF2AD97F951FDA9F2A2EB6546F39689BD3"
    ),
    b: concat!(
        "B4C4EE28CEBC6C2C8AC12952CF37F16AC7EFB6A9F69F4B57FFDA2E4F0DE5ADE0",
        "38CBC2FFF719D2C18DE0284B8BFEF3B52B8CC7A5F5BF0A3C8D2319A5312557E1"
    ),
    p: concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7"
    ),
    q: concat!(
        "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "C98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED"
    ),
    x: concat!(
        "E2E31EDFC23DE7BDEBE241CE593EF5DE2295B7A9CBAEF021D385F7074CEA043A",
        "A27272A7AE602BF2A7B9033DB9ED3610C6FB85487EAE97AAC5BC7928C1950148"
    ),
    y: concat!(
        "F5CE40D95B5EB899ABBCCFF5911CB8577939804D6527378B8C108C3D2090FF9B",
        "E18E2D33E3021ED2EF32D85822423B6304F726AA854BAE07D0396E9A9ADDC40F"
    ),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_point_on_every_curve() {
        for curve in GostCurve::ALL {
            let parameters = curve.parameters();
            assert!(parameters.contains(&parameters.base), "{curve:?}");
        }
    }

    #[test]
    fn base_point_has_order_q() {
        for curve in GostCurve::ALL {
            let parameters = curve.parameters();
            let q_times_base = parameters.multiply(&parameters.base, &parameters.q);
            assert_eq!(
                q_times_base, None,
                "{curve:?}: q·P is not the point at infinity"
            );
            let q_minus_one = &parameters.q - 1u8;
            let before_infinity = parameters.multiply(&parameters.base, &q_minus_one);
            let negated_base = AffinePoint {
                x: parameters.base.x.clone(),
                y: &parameters.p - &parameters.base.y,
            };
            assert_eq!(
                before_infinity,
                Some(negated_base),
                "{curve:?}: (q-1)·P != -P"
            );
        }
    }

    #[test]
    fn field_sizes_match_key_size() {
        for curve in GostCurve::ALL {
            let parameters = curve.parameters();
            let bits = match curve.key_size() {
                GostKeySize::Bits256 => 256,
                GostKeySize::Bits512 => 512,
            };
            assert!(parameters.p.bits() <= bits, "{curve:?}: p too long");
            assert!(parameters.p.bits() > bits - 8, "{curve:?}: p too short");
            assert!(parameters.q.bits() > bits - 8, "{curve:?}: q too short");
        }
    }

    #[test]
    fn oid_round_trip_and_aliases() {
        for curve in GostCurve::ALL {
            assert_eq!(GostCurve::from_oid(curve.oid()), Some(curve));
        }
        let aliases = [
            ("1.2.643.7.1.2.1.1.2", GostCurve::CryptoProA),
            ("1.2.643.2.2.36.0", GostCurve::CryptoProA),
            ("1.2.643.7.1.2.1.1.3", GostCurve::CryptoProB),
            ("1.2.643.7.1.2.1.1.4", GostCurve::CryptoProC),
            ("1.2.643.2.2.36.1", GostCurve::CryptoProC),
        ];
        for (oid, curve) in aliases {
            assert_eq!(GostCurve::from_oid(oid), Some(curve), "{oid}");
        }
        assert_eq!(GostCurve::from_oid("1.2.840.10045.3.1.7"), None);
    }
}
