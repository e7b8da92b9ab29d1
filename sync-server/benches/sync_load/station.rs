//! A simulated kiosk: signs each request with its device key as a station
//! does, and builds the event batches it pushes.

use domain::sync::auth::{
    canonical_string, sign, HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP,
};
use serde_json::{json, Value};
use uuid::Uuid;

#[derive(Clone)]
pub struct Station {
    pub client: reqwest::Client,
    pub base: String,
    pub device: Uuid,
    pub secret: Vec<u8>,
}

impl Station {
    /// Enrolls a device with `token` and returns its station.
    pub async fn enroll(client: &reqwest::Client, base: &str, token: &str) -> Station {
        let grant: Value = client
            .post(format!("{base}/v1/enroll"))
            .json(&json!({"token": token, "label": "bench"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Station {
            client: client.clone(),
            base: base.to_owned(),
            device: grant["device_id"].as_str().unwrap().parse().unwrap(),
            secret: hex::decode(grant["secret"].as_str().unwrap()).unwrap(),
        }
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let bytes = body
            .map(|body| serde_json::to_vec(body).unwrap())
            .unwrap_or_default();
        self.send_bytes(method, path, bytes).await
    }

    /// Sends a signed request and returns the JSON response; panics on a
    /// status other than 2xx, so a refused push cannot count as served.
    pub async fn send_bytes(&self, method: &str, path: &str, bytes: Vec<u8>) -> Value {
        let timestamp = jiff::Timestamp::now().as_second();
        let nonce = hex::encode(Uuid::new_v4().as_bytes());
        let canonical = canonical_string(method, path, timestamp, &nonce, &bytes);
        let response = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .header(HEADER_DEVICE, self.device.to_string())
            .header(HEADER_TIMESTAMP, timestamp.to_string())
            .header(HEADER_NONCE, nonce)
            .header(HEADER_SIGNATURE, sign(&self.secret, &canonical))
            .header("content-type", "application/json")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.unwrap()
    }
}

/// Builds the body of a push of `size` device alerts with fresh UUIDv7 ids.
pub fn alert_batch(size: usize) -> Vec<u8> {
    let events: Vec<Value> = (0..size)
        .map(|n| {
            json!({"id": Uuid::now_v7(), "occurred_at": "2026-12-04T06:00:00Z",
                "kind": {"type": "device_alert", "data": {"code": "bench", "detail": n.to_string()}}})
        })
        .collect();
    serde_json::to_vec(&json!({ "events": events })).unwrap()
}

/// Builds `per_device` push bodies of `size` events for each of `devices`.
pub fn alert_batches(devices: usize, per_device: usize, size: usize) -> Vec<Vec<Vec<u8>>> {
    (0..devices)
        .map(|_| (0..per_device).map(|_| alert_batch(size)).collect())
        .collect()
}
