//! GOST R 34.10-2012 benchmark: time to decode a public key from its
//! `SubjectPublicKeyInfo` (which includes the subgroup check) and to verify
//! one signature over a short challenge, per curve.
//!
//! Run with `cargo bench -p domain --bench gost`. Each curve runs 21
//! samples of 10 operations; the median sample gives the time per
//! operation.

use std::hint::black_box;
use std::time::{Duration, Instant};

use domain::gost::{streebog_digest, GostCurve, GostPublicKey, GostSigningKey};

const SAMPLES: usize = 21;
const OPERATIONS_PER_SAMPLE: u32 = 10;
const CURVES: [GostCurve; 5] = [
    GostCurve::Tc26Gost256A,
    GostCurve::CryptoProA,
    GostCurve::Tc26Gost512A,
    GostCurve::Tc26Gost512B,
    GostCurve::Tc26Gost512C,
];

fn median_per_operation(mut operation: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..OPERATIONS_PER_SAMPLE {
                operation();
            }
            start.elapsed() / OPERATIONS_PER_SAMPLE
        })
        .collect();
    samples.sort();
    samples[SAMPLES / 2]
}

fn main() {
    let message = b"okno identity challenge v1:0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:00ff";
    println!("curve            decode SPKI   verify");
    for curve in CURVES {
        let signing_key =
            GostSigningKey::from_be_bytes(curve, &[0x5A; 31]).expect("the private key is in range");
        let spki_der = signing_key.public_key().to_spki_der();
        let digest = streebog_digest(curve.key_size(), message);
        let signature = signing_key
            .sign_digest_with_k(&digest, &[0x27; 31])
            .expect("the nonce signs");
        let public_key = GostPublicKey::from_spki_der(&spki_der).expect("the key decodes");

        let decode = median_per_operation(|| {
            black_box(GostPublicKey::from_spki_der(black_box(&spki_der)).expect("the key decodes"));
        });
        let verify = median_per_operation(|| {
            public_key
                .verify(black_box(message), black_box(&signature))
                .expect("the signature verifies");
        });
        println!(
            "{:<16} {:>8.2} ms   {:>6.2} ms",
            format!("{curve:?}"),
            decode.as_secs_f64() * 1e3,
            verify.as_secs_f64() * 1e3
        );
    }
}
