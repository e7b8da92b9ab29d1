//! Byte transports to a printer: raw TCP, device files (USB and serial),
//! plain files and the virtual printer.
//!
//! A transport sends a job's bytes and, where the link has a back channel,
//! sends one `DLE EOT n` query and waits a bounded time for its reply
//! byte. What the replies mean is `status`'s work; when to query is
//! `device`'s.

use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::printer::profile::Profile;
use crate::printer::status::{CLEAR, DLE_EOT};
use crate::printer::uri::PrinterUri;
use crate::printer::virtual_printer::VirtualPrinter;

/// A reply to one status query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Byte(u8),
    /// Nothing arrived before the timeout.
    TimedOut,
    /// The link has no back channel (`file://`).
    Unsupported,
}

/// Side results of sending one job.
#[derive(Debug, Default)]
pub struct Sent {
    /// The PNG the virtual printer rendered.
    pub preview: Option<PathBuf>,
}

/// A link to one printer, open for one job.
pub trait Transport {
    /// Sends `bytes` as one job.
    fn send(&mut self, bytes: &[u8]) -> io::Result<Sent>;

    /// Waits up to `timeout` for one byte from the printer.
    fn read_reply(&mut self, timeout: Duration) -> io::Result<Reply>;

    /// Drops bytes already waiting to be read, such as replies left over
    /// from an earlier session on the same link.
    fn discard_input(&mut self) -> io::Result<()>;

    /// Sends `DLE EOT query` and waits up to `timeout` for the reply byte.
    fn query(&mut self, query: u8, timeout: Duration) -> io::Result<Reply> {
        self.send(&[DLE_EOT[0], DLE_EOT[1], query])?;
        self.read_reply(timeout)
    }
}

/// Opens the transport `uri` names; `timeout` bounds connecting and writing.
pub fn open(
    uri: &PrinterUri,
    profile: &Profile,
    timeout: Duration,
) -> io::Result<Box<dyn Transport>> {
    match uri {
        PrinterUri::Tcp { host, port } => {
            Ok(Box::new(TcpTransport::connect(host, *port, timeout)?))
        }
        PrinterUri::Usb { device } => Ok(Box::new(DeviceTransport::open(device)?)),
        PrinterUri::Serial { device, baud } => {
            let transport = DeviceTransport::open(device)?;
            transport.configure_serial(*baud)?;
            Ok(Box::new(transport))
        }
        PrinterUri::File { path } => Ok(Box::new(FileTransport::open(path)?)),
        PrinterUri::Virtual { dir } => Ok(Box::new(VirtualTransport {
            printer: VirtualPrinter::new(profile.clone(), dir.clone())?,
        })),
    }
}

/// A network printer's raw port (usually 9100), one connection per job.
struct TcpTransport {
    stream: TcpStream,
}

impl TcpTransport {
    fn connect(host: &str, port: u16, timeout: Duration) -> io::Result<TcpTransport> {
        let mut last_error = io::Error::new(
            ErrorKind::NotFound,
            format!("{host} resolves to no address"),
        );
        for address in (host, port).to_socket_addrs()? {
            match TcpStream::connect_timeout(&address, timeout) {
                Ok(stream) => {
                    stream.set_write_timeout(Some(timeout))?;
                    stream.set_nodelay(true)?;
                    return Ok(TcpTransport { stream });
                }
                Err(err) => last_error = err,
            }
        }
        Err(last_error)
    }
}

impl Transport for TcpTransport {
    fn send(&mut self, bytes: &[u8]) -> io::Result<Sent> {
        self.stream.write_all(bytes)?;
        self.stream.flush()?;
        Ok(Sent::default())
    }

    fn read_reply(&mut self, timeout: Duration) -> io::Result<Reply> {
        let deadline = Instant::now() + timeout;
        let mut byte = [0u8];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(Reply::TimedOut);
            }
            self.stream.set_read_timeout(Some(left))?;
            match self.stream.read(&mut byte) {
                Ok(0) => {
                    return Err(io::Error::new(
                        ErrorKind::UnexpectedEof,
                        "the printer closed the connection",
                    ))
                }
                Ok(_) => return Ok(Reply::Byte(byte[0])),
                Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Ok(Reply::TimedOut)
                }
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            }
        }
    }

    fn discard_input(&mut self) -> io::Result<()> {
        self.stream.set_nonblocking(true)?;
        let mut buffer = [0u8; 256];
        let result = loop {
            match self.stream.read(&mut buffer) {
                Ok(0) => break Ok(()),
                Ok(_) => continue,
                Err(err) if err.kind() == ErrorKind::WouldBlock => break Ok(()),
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => break Err(err),
            }
        };
        self.stream.set_nonblocking(false)?;
        result
    }
}

/// A printer device file: `/dev/usb/lp*` or a serial port. Reads wait with
/// `poll(2)`, so a printer without a back channel times out instead of
/// blocking.
struct DeviceTransport {
    file: File,
}

impl DeviceTransport {
    fn open(device: &Path) -> io::Result<DeviceTransport> {
        let file = OpenOptions::new().read(true).write(true).open(device)?;
        Ok(DeviceTransport { file })
    }

    /// Puts a serial port in raw mode at `baud`, 8 data bits, no parity.
    ///
    /// NOTE: no flow control is set (raw mode clears XON/XOFF and RTS/CTS
    /// stays as the port had it). A printer that needs flow control may drop
    /// bytes of long raster jobs; this was tested only on a pseudo-terminal.
    fn configure_serial(&self, baud: u32) -> io::Result<()> {
        use rustix::termios::{self, OptionalActions};

        let mut settings = termios::tcgetattr(self.file.as_fd())?;
        settings.make_raw();
        settings.set_speed(baud)?;
        termios::tcsetattr(self.file.as_fd(), OptionalActions::Now, &settings)?;
        Ok(())
    }

    /// Waits up to `timeout` for input; returns whether some is ready.
    fn wait_readable(&self, timeout: Duration) -> io::Result<bool> {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};

        let mut fds = [PollFd::new(&self.file, PollFlags::IN)];
        let timespec = Timespec {
            tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(timeout.subsec_nanos()),
        };
        let ready = poll(&mut fds, Some(&timespec))?;
        Ok(ready > 0)
    }
}

impl Transport for DeviceTransport {
    fn send(&mut self, bytes: &[u8]) -> io::Result<Sent> {
        self.file.write_all(bytes)?;
        self.file.flush()?;
        Ok(Sent::default())
    }

    fn read_reply(&mut self, timeout: Duration) -> io::Result<Reply> {
        if !self.wait_readable(timeout)? {
            return Ok(Reply::TimedOut);
        }
        let mut byte = [0u8];
        match self.file.read(&mut byte)? {
            0 => Ok(Reply::TimedOut),
            _ => Ok(Reply::Byte(byte[0])),
        }
    }

    fn discard_input(&mut self) -> io::Result<()> {
        let mut buffer = [0u8; 256];
        while self.wait_readable(Duration::ZERO)? {
            if self.file.read(&mut buffer)? == 0 {
                break;
            }
        }
        Ok(())
    }
}

/// A plain file that collects every job's bytes, appended in order.
struct FileTransport {
    file: File,
}

impl FileTransport {
    fn open(path: &Path) -> io::Result<FileTransport> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(FileTransport { file })
    }
}

impl Transport for FileTransport {
    fn send(&mut self, bytes: &[u8]) -> io::Result<Sent> {
        self.file.write_all(bytes)?;
        self.file.flush()?;
        Ok(Sent::default())
    }

    fn read_reply(&mut self, _timeout: Duration) -> io::Result<Reply> {
        Ok(Reply::Unsupported)
    }

    /// Writes nothing: a status query in the file would reach whatever
    /// printer the file is later copied to.
    fn query(&mut self, _query: u8, _timeout: Duration) -> io::Result<Reply> {
        Ok(Reply::Unsupported)
    }

    fn discard_input(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The virtual printer: always ready, renders each job to a PNG.
struct VirtualTransport {
    printer: VirtualPrinter,
}

impl Transport for VirtualTransport {
    fn send(&mut self, bytes: &[u8]) -> io::Result<Sent> {
        let path = self
            .printer
            .print(bytes)
            .map_err(|err| io::Error::other(err.to_string()))?;
        Ok(Sent {
            preview: Some(path),
        })
    }

    fn read_reply(&mut self, _timeout: Duration) -> io::Result<Reply> {
        Ok(Reply::Byte(CLEAR))
    }

    fn query(&mut self, _query: u8, _timeout: Duration) -> io::Result<Reply> {
        Ok(Reply::Byte(CLEAR))
    }

    fn discard_input(&mut self) -> io::Result<()> {
        Ok(())
    }
}
