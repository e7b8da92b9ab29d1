//! The card side of vsmartcard's vpcd protocol: a TCP client of the port
//! vpcd listens on (35963 for the first reader). Every message each way is
//! a 2-byte big-endian length and then that many bytes; a 1-byte message
//! from vpcd is a control code (0 power off, 1 power on, 2 reset, 4 send
//! the ATR), anything longer is a command APDU, which the card
//! answers with a response APDU.
//!
//! Debian's vpcd writes the length and the payload separately, so Nagle's
//! algorithm on its side meets delayed ACK on ours and every APDU waits
//! about 45 ms. Re-arming `TCP_QUICKACK` before every read makes the card
//! acknowledge at once; `TCP_NODELAY` alone does not help.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use socket2::SockRef;
use tracing::{debug, info};

use super::chip::VirtualChip;

const POWER_OFF: u8 = 0;
const POWER_ON: u8 = 1;
const RESET: u8 = 2;
const GET_ATR: u8 = 4;

/// Connects to vpcd, retrying until `deadline` while it is not listening
/// yet (pcscd loads the driver a little after it starts).
pub fn connect(address: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    let deadline = Instant::now() + timeout;
    loop {
        match TcpStream::connect_timeout(&address, Duration::from_millis(500)) {
            Ok(stream) => {
                stream.set_nodelay(true)?;
                return Ok(stream);
            }
            Err(err) if Instant::now() < deadline => {
                debug!(%address, cause = %err, "vpcd not reachable yet");
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(err) => return Err(err),
        }
    }
}

fn read_message(stream: &mut TcpStream, quickack: bool) -> io::Result<Option<Vec<u8>>> {
    if quickack {
        SockRef::from(&*stream).set_quickack(true)?;
    }
    let mut length = [0u8; 2];
    match stream.read_exact(&mut length) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(err) => return Err(err),
    }
    let mut payload = vec![0u8; usize::from(u16::from_be_bytes(length))];
    if quickack {
        SockRef::from(&*stream).set_quickack(true)?;
    }
    stream.read_exact(&mut payload)?;
    Ok(Some(payload))
}

fn write_message(stream: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let length = u16::try_from(payload.len()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "vpcd message longer than 65535 bytes",
        )
    })?;
    // One write for length and payload keeps them in one segment.
    let mut message = Vec::with_capacity(payload.len() + 2);
    message.extend_from_slice(&length.to_be_bytes());
    message.extend_from_slice(payload);
    stream.write_all(&message)
}

/// Serves the chip to vpcd until vpcd closes the connection. `quickack`
/// false leaves the kernel's delayed ACK alone, only to measure its cost.
pub fn serve(stream: &mut TcpStream, chip: &mut VirtualChip, quickack: bool) -> io::Result<()> {
    info!(peer = ?stream.peer_addr().ok(), "virtual chip connected to vpcd");
    while let Some(message) = read_message(stream, quickack)? {
        match message.as_slice() {
            [POWER_OFF] | [POWER_ON] | [RESET] => chip.reset(),
            [GET_ATR] => write_message(stream, &chip.atr())?,
            [code] => debug!(code, "ignoring unknown vpcd control code"),
            apdu => {
                let response = chip.process(apdu);
                write_message(stream, &response)?;
            }
        }
    }
    info!("vpcd closed the connection");
    Ok(())
}
