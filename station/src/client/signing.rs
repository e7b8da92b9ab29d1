//! The signature headers of one device request, computed with
//! [`domain::sync::auth`]. Pure, so tests check exact header values.

use domain::sync::auth;
use uuid::Uuid;

/// The four headers every signed request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    pub device: String,
    pub timestamp: String,
    pub nonce: String,
    pub signature: String,
}

impl SignedHeaders {
    /// Returns `(name, value)` pairs ready to add to a request.
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            (auth::HEADER_DEVICE, &self.device),
            (auth::HEADER_TIMESTAMP, &self.timestamp),
            (auth::HEADER_NONCE, &self.nonce),
            (auth::HEADER_SIGNATURE, &self.signature),
        ]
    }
}

/// Signs a request. `path_and_query` must be exactly what is sent, such as
/// `/v1/sync/pull?cursor=7&limit=500&wait=25`; `nonce` is 16 fresh random
/// bytes.
pub fn sign_request(
    device_id: Uuid,
    secret: &[u8],
    method: &str,
    path_and_query: &str,
    unix_seconds: i64,
    nonce: [u8; 16],
    body: &[u8],
) -> SignedHeaders {
    let nonce = hex::encode(nonce);
    let canonical = auth::canonical_string(method, path_and_query, unix_seconds, &nonce, body);
    SignedHeaders {
        device: device_id.to_string(),
        timestamp: unix_seconds.to_string(),
        signature: auth::sign(secret, &canonical),
        nonce,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_verify_with_domain_auth() {
        let headers = sign_request(
            Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
            b"secret",
            "POST",
            "/v1/sync/push",
            1_796_000_000,
            [0xab; 16],
            b"{\"events\":[]}",
        );
        assert_eq!(headers.device, "01900000-0000-7000-8000-000000000001");
        assert_eq!(headers.timestamp, "1796000000");
        assert_eq!(headers.nonce, "abababababababababababababababab");
        let canonical = auth::canonical_string(
            "POST",
            "/v1/sync/push",
            1_796_000_000,
            "abababababababababababababababab",
            b"{\"events\":[]}",
        );
        assert_eq!(headers.signature, auth::sign(b"secret", &canonical));
        assert!(auth::verify(b"secret", &canonical, &headers.signature));
    }

    #[test]
    fn signature_covers_query() {
        let sign = |path| sign_request(Uuid::nil(), b"k", "GET", path, 1, [0; 16], b"").signature;
        assert_ne!(
            sign("/v1/sync/pull?cursor=1"),
            sign("/v1/sync/pull?cursor=2")
        );
    }
}
