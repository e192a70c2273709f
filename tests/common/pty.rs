//! The built binary in a real pseudo-terminal, read through a VT100 emulator: the one harness of
//! the end-to-end tests (`tests/common`, which adds `Pty::spawn` on the test clock) and of the
//! benchmarks (`benches/tui.rs` includes this file by path and adds its own `spawn`).
//!
//! A reader thread feeds the screen and timestamps, the moment the bytes arrive, the markers
//! registered with [`Pty::watch`], so polling never adds to a measured time.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, SlavePty, native_pty_system};

/// How long a wait lasts before it fails. Generous: CI has 2 cores shared with the test build.
pub const WAIT: Duration = Duration::from_secs(20);

type Pred = Box<dyn Fn(&str) -> bool + Send>;

struct Watch {
    pred: Pred,
    hit: Option<Instant>,
}

struct Seen {
    parser: vt100::Parser,
    /// Everything the program wrote, escape sequences included.
    raw: Vec<u8>,
    last_byte: Option<Instant>,
    watches: Vec<Watch>,
    eof: bool,
}

struct Shared {
    seen: Mutex<Seen>,
    changed: Condvar,
}

pub struct Pty {
    pub master: Box<dyn MasterPty + Send>,
    /// Kept open so the terminal settings can be read after the program exits.
    _slave: Box<dyn SlavePty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    shared: Arc<Shared>,
    /// A private HOME the program uses, removed when the pty is dropped.
    _home: Option<tempfile::TempDir>,
}

impl Pty {
    /// Starts `cmd` in a `cols`x`rows` terminal (the reader runs before the program starts).
    pub fn start(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let shared = Arc::new(Shared {
            seen: Mutex::new(Seen {
                parser: vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0),
                raw: Vec::new(),
                last_byte: None,
                watches: Vec::new(),
                eof: false,
            }),
            changed: Condvar::new(),
        });
        let s = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let now = Instant::now();
                let mut seen = s.seen.lock().unwrap();
                if n == 0 {
                    seen.eof = true;
                    s.changed.notify_all();
                    break;
                }
                seen.parser.process(&buf[..n]);
                seen.raw.extend_from_slice(&buf[..n]);
                seen.last_byte = Some(now);
                if seen.watches.iter().any(|w| w.hit.is_none()) {
                    let text = seen.parser.screen().contents();
                    for w in seen.watches.iter_mut().filter(|w| w.hit.is_none()) {
                        if (w.pred)(&text) {
                            w.hit = Some(now);
                        }
                    }
                }
                s.changed.notify_all();
            }
        });
        let child = pair.slave.spawn_command(cmd).expect("spawn ilios-tui");
        Pty {
            master: pair.master,
            _slave: pair.slave,
            writer,
            child,
            shared,
            _home: None,
        }
    }

    /// Keeps `home` (the program's private HOME) until the pty is dropped.
    pub fn keeping(mut self, home: tempfile::TempDir) -> Pty {
        self._home = Some(home);
        self
    }

    pub fn contents(&self) -> String {
        self.shared.seen.lock().unwrap().parser.screen().contents()
    }

    /// Everything the program wrote, escape sequences included.
    pub fn raw_output(&self) -> Vec<u8> {
        self.shared.seen.lock().unwrap().raw.clone()
    }

    /// How many bytes the program wrote.
    pub fn bytes(&self) -> u64 {
        self.shared.seen.lock().unwrap().raw.len() as u64
    }

    pub fn alternate_screen(&self) -> bool {
        self.shared
            .seen
            .lock()
            .unwrap()
            .parser
            .screen()
            .alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.shared
            .seen
            .lock()
            .unwrap()
            .parser
            .screen()
            .hide_cursor()
    }

    fn bracketed_paste(&self) -> bool {
        self.shared
            .seen
            .lock()
            .unwrap()
            .parser
            .screen()
            .bracketed_paste()
    }

    /// Waits until `text` is on screen; panics with the screen when it does not come.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(|s| s.contains(text), &format!("{text:?} on screen"));
    }

    pub fn wait_until(&self, pred: impl Fn(&str) -> bool, what: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if pred(&self.contents()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        self.fail(what)
    }

    /// Registers a marker; it is checked now and on every chunk of output. Returns its id.
    pub fn watch(&self, pred: impl Fn(&str) -> bool + Send + 'static) -> usize {
        let mut seen = self.shared.seen.lock().unwrap();
        let hit = pred(&seen.parser.screen().contents()).then(Instant::now);
        seen.watches.push(Watch {
            pred: Box::new(pred),
            hit,
        });
        seen.watches.len() - 1
    }

    /// The moment marker `id` was first on screen, waiting for it at most `timeout`.
    pub fn wait_hit(&self, id: usize, timeout: Duration) -> Option<Instant> {
        let deadline = Instant::now() + timeout;
        let mut seen = self.shared.seen.lock().unwrap();
        loop {
            if let Some(t) = seen.watches[id].hit {
                return Some(t);
            }
            let now = Instant::now();
            if now >= deadline || seen.eof {
                return None;
            }
            seen = self
                .shared
                .changed
                .wait_timeout(seen, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// The moment marker `id` was first on screen, if it was.
    pub fn hit(&self, id: usize) -> Option<Instant> {
        self.shared.seen.lock().unwrap().watches[id].hit
    }

    /// Waits until nothing was written for `quiet` (at most `max`).
    pub fn wait_quiet(&self, quiet: Duration, max: Duration) -> bool {
        let start = Instant::now();
        loop {
            let last = self.shared.seen.lock().unwrap().last_byte;
            let since = last.map(|t| t.elapsed()).unwrap_or(start.elapsed());
            if since >= quiet {
                return true;
            }
            if start.elapsed() >= max {
                return false;
            }
            std::thread::sleep(quiet - since.min(quiet) + Duration::from_millis(1));
        }
    }

    /// Writes `bytes`; returns the instant just before the write.
    pub fn send(&mut self, bytes: &str) -> Instant {
        let t = Instant::now();
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        t
    }

    /// Waits for exit and returns the exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!(
            "the program did not exit; the screen was:\n{}",
            self.contents()
        );
    }

    /// `q`, then waits for exit (kills it if it does not go within 5 seconds).
    pub fn quit(mut self) {
        self.send("q");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// The pty's line settings: (echo on, canonical mode on).
    pub fn tty_echo_and_canonical(&self) -> (bool, bool) {
        let fd = self.master.as_raw_fd().expect("master fd");
        // SAFETY: a plain tcgetattr on a descriptor we own, into a zeroed struct.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr");
        (t.c_lflag & libc::ECHO != 0, t.c_lflag & libc::ICANON != 0)
    }

    /// Asserts the terminal is back to normal: main screen, cursor shown, echo and canonical mode.
    pub fn assert_restored(&self) {
        assert!(
            !self.alternate_screen(),
            "still on the alternate screen:\n{}",
            self.contents()
        );
        assert!(!self.cursor_hidden(), "cursor still hidden");
        assert!(!self.bracketed_paste(), "bracketed paste still on");
        assert_eq!(
            self.tty_echo_and_canonical(),
            (true, true),
            "echo/canonical mode not restored"
        );
    }

    /// Panics with the screen.
    pub fn fail(&self, what: &str) -> ! {
        panic!(
            "timed out waiting for {what}; the screen was:\n{}",
            self.contents()
        )
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
