//! SMS delivery through an HTTP API gateway: a POST to the configured URL
//! with the configured headers and body template. 2xx is delivered; 5xx,
//! a refused connection and a timeout are worth a retry; other statuses
//! are not.

use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE};

use super::config::{ConfigError, SmsConfig};
use super::gateway::{DeliveryError, Gateway, SendFuture};

pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    content_type: String,
    body: String,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl SmsGateway {
    /// Builds the client and reads header secrets from the environment.
    ///
    /// # Errors
    ///
    /// A header name or value is not valid HTTP, or its variable is unset.
    pub fn new(config: &SmsConfig, timeout: std::time::Duration) -> Result<Self, ConfigError> {
        let mut headers = Vec::new();
        for (name, value) in config.all_headers()? {
            let parsed_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                ConfigError::Gateway(format!("sms header name {name:?} is not valid HTTP"))
            })?;
            // The value may be a secret: the error names only the header.
            let mut parsed_value = HeaderValue::from_str(&value).map_err(|_| {
                ConfigError::Gateway(format!("the value of sms header {name} is not valid HTTP"))
            })?;
            parsed_value.set_sensitive(true);
            headers.push((parsed_name, parsed_value));
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|err| ConfigError::Gateway(format!("cannot build the HTTP client: {err}")))?;
        Ok(SmsGateway {
            client,
            url: config.url.clone(),
            content_type: config.content_type.clone(),
            body: config.body.clone(),
            headers,
        })
    }

    /// Fills the body template, escaping for the content type.
    pub fn render(&self, phone: &str, text: &str) -> String {
        let escape = |value: &str| -> String {
            if self.content_type.contains("json") {
                let quoted = serde_json::Value::String(value.to_owned()).to_string();
                quoted[1..quoted.len() - 1].to_owned()
            } else if self.content_type.contains("x-www-form-urlencoded") {
                percent_encode(value)
            } else {
                value.to_owned()
            }
        };
        self.body
            .replace("{phone}", &escape(phone))
            .replace("{text}", &escape(text))
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl Gateway for SmsGateway {
    fn name(&self) -> &'static str {
        "sms_http"
    }

    fn send<'a>(&'a self, to: &'a str, _subject: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let mut request = self
                .client
                .post(&self.url)
                .header(CONTENT_TYPE, &self.content_type)
                .body(self.render(to, text));
            for (name, value) in &self.headers {
                request = request.header(name, value.clone());
            }
            let response = request.send().await.map_err(|err| {
                // Without the URL: it is configuration, but the kind is enough.
                let kind = if err.is_timeout() {
                    "timed out"
                } else if err.is_connect() {
                    "connection failed"
                } else {
                    "request failed"
                };
                DeliveryError::Transient(format!("SMS gateway {kind}"))
            })?;
            let status = response.status();
            if status.is_success() {
                Ok(())
            } else if status.is_server_error() || status.as_u16() == 429 {
                Err(DeliveryError::Transient(format!(
                    "SMS gateway responded {status}"
                )))
            } else {
                Err(DeliveryError::Permanent(format!(
                    "SMS gateway rejected the request with {status}"
                )))
            }
        })
    }
}
