//! Test helpers: the built binary in a real pseudo-terminal, read through a VT100 emulator.
#![allow(dead_code)]

pub mod headless;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ilios_tui::clock::{Clock, Zone, parse_moment};
use ilios_tui::demo::DemoOptions;
use portable_pty::{CommandBuilder, MasterPty, PtySize, SlavePty, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_ilios-tui");

/// The zone of the test clock, and the `TZ` of every process a test starts.
pub const TEST_ZONE: &str = "America/Los_Angeles";
/// The test clock's start: Wednesday of an ordinary week (February 14-20, 2027), mid-morning.
pub const TEST_NOW: &str = "2027-02-17T10:00:00-08:00";

/// A clock that starts at `moment` (RFC 3339, or a local time in `zone`) and runs on, read in
/// `zone`. Tests never read the system's date: they choose theirs.
pub fn clock_at(moment: &str, zone: &str) -> Clock {
    let zone: Zone = zone.parse().unwrap();
    Clock::starting_at(parse_moment(moment, zone).unwrap()).in_zone(zone)
}

/// The clock every test runs on unless it picks another ([`TEST_NOW`] in [`TEST_ZONE`]).
pub fn test_clock() -> Clock {
    clock_at(TEST_NOW, TEST_ZONE)
}

/// The built binary on the test clock and zone (`--now`, `TZ`), for headless runs.
pub fn command() -> std::process::Command {
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(["--now", TEST_NOW]).env("TZ", TEST_ZONE);
    cmd
}

/// The embedded server's default options on the test clock.
pub fn demo_options() -> DemoOptions {
    DemoOptions {
        clock: test_clock(),
        ..DemoOptions::default()
    }
}

/// Generous: CI has 2 cores shared with the test build.
pub const WAIT: Duration = Duration::from_secs(20);

pub struct Pty {
    pub master: Box<dyn MasterPty + Send>,
    /// Kept open so the terminal settings can be read after the program exits.
    _slave: Box<dyn SlavePty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    /// Starts `ilios-tui <args>` in a `cols`x`rows` terminal with a private HOME/XDG tree.
    pub fn spawn(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        // The test's day and zone, unless the test chose its own.
        if !args.contains(&"--now") {
            cmd.args(["--now", TEST_NOW]);
        }
        cmd.env("TZ", TEST_ZONE);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("TMUX");
        cmd.env_remove("ILIOS_TOKEN");
        cmd.env_remove("ILIOS_URL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn ilios-tui");
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (screen.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master: pair.master,
            _slave: pair.slave,
            writer,
            child,
            screen,
            raw,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Everything the program wrote, escape sequences included.
    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn alternate_screen(&self) -> bool {
        self.screen.lock().unwrap().screen().alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.screen.lock().unwrap().screen().hide_cursor()
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
        panic!(
            "timed out waiting for {what}; the screen was:\n{}",
            self.contents()
        );
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
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
        assert!(
            !self.screen.lock().unwrap().screen().bracketed_paste(),
            "bracketed paste still on"
        );
        assert_eq!(
            self.tty_echo_and_canonical(),
            (true, true),
            "echo/canonical mode not restored"
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A private HOME and XDG tree so tests never read or write the developer's files.
pub fn private_home() -> (tempfile::TempDir, Vec<(String, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let env = vec![
        ("HOME".to_string(), p.display().to_string()),
        (
            "XDG_CONFIG_HOME".to_string(),
            p.join("config").display().to_string(),
        ),
        (
            "XDG_STATE_HOME".to_string(),
            p.join("state").display().to_string(),
        ),
        (
            "XDG_DATA_HOME".to_string(),
            p.join("data").display().to_string(),
        ),
    ];
    (dir, env)
}
