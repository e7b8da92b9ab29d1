//! E-mail delivery over SMTP with `lettre`: TLS or STARTTLS (plain only to
//! a loopback relay), with credentials from the settings or the
//! environment. The password goes to `lettre` only and is never logged.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::{ConfigError, SmtpConfig, SmtpSecurity};
use super::gateway::{DeliveryError, Gateway, SendFuture};

pub struct SmtpGateway {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpGateway {
    /// Builds the transport; it connects on each send.
    ///
    /// # Errors
    ///
    /// The From address does not parse, the password variable is unset, or
    /// TLS cannot be set up for the host.
    pub fn new(config: &SmtpConfig, timeout: std::time::Duration) -> Result<Self, ConfigError> {
        let from: Mailbox = config.from.parse().map_err(|_| {
            ConfigError::Gateway(format!(
                "smtp.from is not an e-mail address with an optional name: {}",
                config.from
            ))
        })?;
        let builder = match config.security {
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            }
            security => {
                let parameters = tls_parameters(config)?;
                let tls = if security == SmtpSecurity::Tls {
                    Tls::Wrapper(parameters)
                } else {
                    Tls::Required(parameters)
                };
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host).tls(tls)
            }
        };
        let mut builder = builder.port(config.port).timeout(Some(timeout));
        if let Some(username) = &config.username {
            let password = config.password()?.unwrap_or_default();
            builder = builder.credentials(Credentials::new(username.clone(), password));
        }
        Ok(SmtpGateway {
            transport: builder.build(),
            from,
        })
    }
}

/// Builds the TLS settings: the host name to check the certificate
/// against, and the public roots plus `ca_file` when given.
fn tls_parameters(config: &SmtpConfig) -> Result<TlsParameters, ConfigError> {
    let mut builder = TlsParameters::builder(config.host.clone());
    if let Some(path) = &config.ca_file {
        let pem = std::fs::read(path).map_err(|err| {
            ConfigError::Gateway(format!(
                "cannot read smtp.ca_file {}: {err}",
                path.display()
            ))
        })?;
        let certificate = Certificate::from_pem(&pem).map_err(|err| {
            ConfigError::Gateway(format!(
                "smtp.ca_file {} is not a PEM certificate: {err}",
                path.display()
            ))
        })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build_rustls().map_err(|err| {
        ConfigError::Gateway(format!("cannot set up TLS for {}: {err}", config.host))
    })
}

/// Describes an SMTP failure by its kind and reply code only: the reply
/// text may quote the recipient.
fn classify(err: &lettre::transport::smtp::Error) -> DeliveryError {
    let code = err
        .status()
        .map_or_else(|| "no reply code".to_owned(), |code| code.to_string());
    if err.is_permanent() {
        DeliveryError::Permanent(format!("SMTP server rejected the message ({code})"))
    } else if err.is_transient() {
        DeliveryError::Transient(format!("SMTP server deferred the message ({code})"))
    } else if err.is_timeout() {
        DeliveryError::Transient("SMTP connection timed out".to_owned())
    } else if err.is_tls() {
        DeliveryError::Transient("SMTP TLS handshake failed".to_owned())
    } else {
        DeliveryError::Transient("SMTP connection failed".to_owned())
    }
}

impl Gateway for SmtpGateway {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn send<'a>(&'a self, to: &'a str, subject: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let to: Mailbox = to.parse().map_err(|_| {
                DeliveryError::Permanent("the recipient is not a valid e-mail address".to_owned())
            })?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(text.to_owned())
                .map_err(|_| DeliveryError::Permanent("cannot build the e-mail".to_owned()))?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|err| classify(&err))
        })
    }
}
