//! Printer addresses as written in a device's configuration.
//!
//! | URI | meaning |
//! | --- | --- |
//! | `tcp://HOST:9100` | raw TCP port of a network printer (9100 when omitted) |
//! | `usb:///dev/usb/lp0` | a printer device file, usually USB |
//! | `serial:///dev/ttyUSB0?baud=19200` | a serial port (9600 baud when omitted) |
//! | `file://PATH` | append every job's bytes to a file |
//! | `virtual://DIR` | the virtual printer: render each job to a PNG in DIR |

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Raw printing port of network printers.
pub const DEFAULT_TCP_PORT: u16 = 9100;
/// Serial speed used when the URI names none.
pub const DEFAULT_BAUD: u32 = 9600;
/// Serial speeds ESC/POS printers offer.
pub const BAUD_RATES: [u32; 6] = [2400, 4800, 9600, 19200, 38400, 115_200];

const EXPECTED: &str = "tcp://HOST:9100, usb:///dev/usb/lp0, serial:///dev/ttyUSB0?baud=19200, file://PATH or virtual://DIR";

/// A parsed printer address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterUri {
    Tcp { host: String, port: u16 },
    Usb { device: PathBuf },
    Serial { device: PathBuf, baud: u32 },
    File { path: PathBuf },
    Virtual { dir: PathBuf },
}

/// A printer URI that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("printer URI {uri:?} is invalid: {problem}; expected {EXPECTED}")]
pub struct UriError {
    pub uri: String,
    pub problem: String,
}

impl FromStr for PrinterUri {
    type Err = UriError;

    fn from_str(uri: &str) -> Result<PrinterUri, UriError> {
        let error = |problem: String| UriError {
            uri: uri.to_owned(),
            problem,
        };
        let (scheme, rest) = uri
            .split_once("://")
            .ok_or_else(|| error("it has no scheme such as tcp://".to_owned()))?;
        let nonempty_path = |rest: &str| {
            if rest.is_empty() {
                Err(error(format!("{scheme}:// needs a path after it")))
            } else {
                Ok(PathBuf::from(rest))
            }
        };
        let absolute_path = |rest: &str| {
            if rest.starts_with('/') {
                Ok(PathBuf::from(rest))
            } else {
                Err(error(format!(
                    "{scheme}:// needs an absolute device path such as {scheme}:///dev/..."
                )))
            }
        };

        match scheme {
            "tcp" => {
                let rest = rest.trim_end_matches('/');
                let (host, port) = match rest.rsplit_once(':') {
                    Some((host, port)) if !host.ends_with(':') => {
                        let port = port
                            .parse::<u16>()
                            .ok()
                            .filter(|&port| port > 0)
                            .ok_or_else(|| {
                                error(format!("port {port:?} is not a number from 1 to 65535"))
                            })?;
                        (host, port)
                    }
                    _ => (rest, DEFAULT_TCP_PORT),
                };
                let host = host.trim_start_matches('[').trim_end_matches(']');
                if host.is_empty() {
                    return Err(error("the host is missing".to_owned()));
                }
                Ok(PrinterUri::Tcp {
                    host: host.to_owned(),
                    port,
                })
            }
            "usb" => Ok(PrinterUri::Usb {
                device: absolute_path(rest)?,
            }),
            "serial" => {
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                let mut baud = DEFAULT_BAUD;
                for pair in query.split('&').filter(|pair| !pair.is_empty()) {
                    match pair.split_once('=') {
                        Some(("baud", value)) => {
                            baud = value
                                .parse()
                                .ok()
                                .filter(|rate| BAUD_RATES.contains(rate))
                                .ok_or_else(|| {
                                    error(format!("baud {value:?} is not one of {BAUD_RATES:?}"))
                                })?;
                        }
                        _ => {
                            return Err(error(format!(
                                "unknown parameter {pair:?}; only baud=N is known"
                            )))
                        }
                    }
                }
                Ok(PrinterUri::Serial {
                    device: absolute_path(path)?,
                    baud,
                })
            }
            "file" => Ok(PrinterUri::File {
                path: nonempty_path(rest)?,
            }),
            "virtual" => Ok(PrinterUri::Virtual {
                dir: nonempty_path(rest)?,
            }),
            other => Err(error(format!("scheme {other:?} is not supported"))),
        }
    }
}

impl fmt::Display for PrinterUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterUri::Tcp { host, port } if host.contains(':') => {
                write!(f, "tcp://[{host}]:{port}")
            }
            PrinterUri::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            PrinterUri::Usb { device } => write!(f, "usb://{}", device.display()),
            PrinterUri::Serial { device, baud } => {
                write!(f, "serial://{}?baud={baud}", device.display())
            }
            PrinterUri::File { path } => write!(f, "file://{}", path.display()),
            PrinterUri::Virtual { dir } => write!(f, "virtual://{}", dir.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(uri: &str) -> Result<PrinterUri, UriError> {
        uri.parse()
    }

    #[test]
    fn parse_each_scheme() {
        assert_eq!(
            parse("tcp://127.0.0.1:9101").unwrap(),
            PrinterUri::Tcp {
                host: "127.0.0.1".into(),
                port: 9101
            }
        );
        assert_eq!(
            parse("tcp://printer.local").unwrap(),
            PrinterUri::Tcp {
                host: "printer.local".into(),
                port: 9100
            }
        );
        assert_eq!(
            parse("tcp://[::1]:9100").unwrap(),
            PrinterUri::Tcp {
                host: "::1".into(),
                port: 9100
            }
        );
        assert_eq!(
            parse("usb:///dev/usb/lp0").unwrap(),
            PrinterUri::Usb {
                device: "/dev/usb/lp0".into()
            }
        );
        assert_eq!(
            parse("serial:///dev/ttyUSB0?baud=19200").unwrap(),
            PrinterUri::Serial {
                device: "/dev/ttyUSB0".into(),
                baud: 19200
            }
        );
        assert_eq!(
            parse("serial:///dev/ttyS0").unwrap(),
            PrinterUri::Serial {
                device: "/dev/ttyS0".into(),
                baud: 9600
            }
        );
        assert_eq!(
            parse("file:///tmp/out.bin").unwrap(),
            PrinterUri::File {
                path: "/tmp/out.bin".into()
            }
        );
        assert_eq!(
            parse("virtual://previews").unwrap(),
            PrinterUri::Virtual {
                dir: "previews".into()
            }
        );
    }

    #[test]
    fn display_round_trip() {
        for uri in [
            "tcp://127.0.0.1:9100",
            "tcp://[::1]:9100",
            "usb:///dev/usb/lp0",
            "serial:///dev/ttyUSB0?baud=19200",
            "file:///tmp/a",
            "virtual://out",
        ] {
            assert_eq!(parse(uri).unwrap().to_string(), uri);
        }
    }

    #[test]
    fn errors_name_uri_and_expectation() {
        let err = parse("lpt://1").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("printer URI \"lpt://1\" is invalid: scheme \"lpt\" is not supported; expected {EXPECTED}")
        );
        let cases = [
            ("127.0.0.1:9100", "it has no scheme such as tcp://"),
            ("tcp://host:0", "port \"0\" is not a number from 1 to 65535"),
            ("tcp://:9100", "the host is missing"),
            (
                "usb://dev/usb/lp0",
                "usb:// needs an absolute device path such as usb:///dev/...",
            ),
            (
                "serial:///dev/ttyS0?baud=1234",
                "baud \"1234\" is not one of [2400, 4800, 9600, 19200, 38400, 115200]",
            ),
            (
                "serial:///dev/ttyS0?parity=odd",
                "unknown parameter \"parity=odd\"; only baud=N is known",
            ),
            ("virtual://", "virtual:// needs a path after it"),
        ];
        for (uri, problem) in cases {
            assert_eq!(parse(uri).unwrap_err().problem, problem, "{uri}");
        }
    }
}
