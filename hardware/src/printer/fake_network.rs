//! A fake network printer on 127.0.0.1 for tests and demos: it records
//! every byte it receives and replies to `DLE EOT n` as a printer in a
//! chosen state would.
//!
//! It is a fake because no real ESC/POS printer can run on a build machine.
//! The socket is real, so the TCP transport runs unchanged against it. Like
//! a real printer, it replies to a `DLE EOT n` sequence wherever it appears in
//! the stream, raster data included.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::printer::status::CLEAR;

/// Printer state the fake reports in its status replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeMode {
    Ready,
    /// Ready, with the paper roll near its end.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// Never answers.
    Silent,
    /// Ready until it has received job bytes, then paper out.
    PaperOutAfterJob,
}

impl FakeMode {
    /// Returns the reply to `DLE EOT query` in this mode, given whether job
    /// bytes arrived before it.
    fn reply(self, query: u8, job_seen: bool) -> Option<u8> {
        let paper_out = [CLEAR | 0x08, CLEAR | 0x20, CLEAR, CLEAR | 0x60];
        let cover_open = [CLEAR | 0x08, CLEAR | 0x04, CLEAR, CLEAR];
        let table = match self {
            FakeMode::Ready => [CLEAR; 4],
            FakeMode::PaperNearEnd => [CLEAR, CLEAR, CLEAR, CLEAR | 0x0C],
            FakeMode::PaperOut => paper_out,
            FakeMode::CoverOpen => cover_open,
            FakeMode::Silent => return None,
            FakeMode::PaperOutAfterJob if job_seen => paper_out,
            FakeMode::PaperOutAfterJob => [CLEAR; 4],
        };
        table.get(usize::from(query).wrapping_sub(1)).copied()
    }
}

#[derive(Default)]
struct Shared {
    recorded: Vec<u8>,
    open_connections: usize,
    connections: usize,
}

/// A listening fake printer; it stops accepting when dropped.
pub struct FakeNetworkPrinter {
    address: SocketAddr,
    state: Arc<(Mutex<Shared>, Condvar)>,
    stop: Arc<AtomicBool>,
}

impl FakeNetworkPrinter {
    /// Starts listening on an ephemeral port of 127.0.0.1.
    pub fn start(mode: FakeMode) -> io::Result<FakeNetworkPrinter> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let state = Arc::new((Mutex::new(Shared::default()), Condvar::new()));
        let stop = Arc::new(AtomicBool::new(false));

        let accept_state = Arc::clone(&state);
        let accept_stop = Arc::clone(&stop);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                {
                    let mut shared = accept_state.0.lock().expect("fake printer lock");
                    shared.open_connections += 1;
                    shared.connections += 1;
                }
                let connection_state = Arc::clone(&accept_state);
                thread::spawn(move || serve(stream, mode, &connection_state));
            }
        });

        Ok(FakeNetworkPrinter {
            address,
            state,
            stop,
        })
    }

    /// Returns the printer URI, `tcp://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("tcp://{}", self.address)
    }

    /// Returns the bytes received so far over all connections.
    pub fn recorded(&self) -> Vec<u8> {
        self.state
            .0
            .lock()
            .expect("fake printer lock")
            .recorded
            .clone()
    }

    /// Returns the number of connections accepted so far.
    pub fn connections(&self) -> usize {
        self.state.0.lock().expect("fake printer lock").connections
    }

    /// Waits until at least one connection was accepted and all are closed,
    /// up to `timeout`, then returns the recorded bytes. Returns `None` on
    /// timeout.
    pub fn wait_idle(&self, timeout: Duration) -> Option<Vec<u8>> {
        let deadline = Instant::now() + timeout;
        let (lock, condvar) = &*self.state;
        let mut shared = lock.lock().expect("fake printer lock");
        while shared.connections == 0 || shared.open_connections > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            shared = condvar
                .wait_timeout(shared, left)
                .expect("fake printer lock")
                .0;
        }
        Some(shared.recorded.clone())
    }
}

impl Drop for FakeNetworkPrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it checks the flag.
        let _ = TcpStream::connect(self.address);
    }
}

/// Records one connection's bytes and replies to its status queries.
fn serve(mut stream: TcpStream, mode: FakeMode, state: &(Mutex<Shared>, Condvar)) {
    let mut buffer = [0u8; 4096];
    // Bytes of a DLE EOT sequence seen so far, which may span reads.
    let mut pending: Vec<u8> = Vec::new();
    let mut job_seen = false;
    loop {
        let read = match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        let mut replies = Vec::new();
        for &byte in &buffer[..read] {
            pending.push(byte);
            match pending.as_slice() {
                [0x10] | [0x10, 0x04] => continue,
                [0x10, 0x04, query] => {
                    if let Some(reply) = mode.reply(*query, job_seen) {
                        replies.push(reply);
                    }
                }
                _ => job_seen = true,
            }
            pending.clear();
        }
        {
            let mut shared = state.0.lock().expect("fake printer lock");
            shared.recorded.extend_from_slice(&buffer[..read]);
        }
        if !replies.is_empty() && stream.write_all(&replies).is_err() {
            break;
        }
    }
    let mut shared = state.0.lock().expect("fake printer lock");
    shared.open_connections -= 1;
    state.1.notify_all();
}
