//! Test helpers: the built binary in a real pseudo-terminal, read through a VT100 emulator.
#![allow(dead_code)]

pub mod cli;
pub mod headless;
mod pty;

use ilios_tui::clock::{Clock, Zone, parse_moment};
use ilios_tui::demo::DemoOptions;
use portable_pty::CommandBuilder;

pub use pty::Pty;

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

/// A clock stopped at `moment` in `zone`: the same screen on every run.
pub fn stopped_clock_at(moment: &str, zone: &str) -> Clock {
    let zone: Zone = zone.parse().unwrap();
    Clock::stopped_at(parse_moment(moment, zone).unwrap()).in_zone(zone)
}

/// [`TEST_NOW`] in [`TEST_ZONE`], stopped (for snapshots).
pub fn stopped_test_clock() -> Clock {
    stopped_clock_at(TEST_NOW, TEST_ZONE)
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

impl Pty {
    /// Starts `ilios-tui <args>` in a `cols`x`rows` terminal on the test clock and zone (unless
    /// `args` has its own `--now`), without the caller's token or server; `env` comes last.
    pub fn spawn(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        if !args.contains(&"--now") {
            cmd.args(["--now", TEST_NOW]);
        }
        cmd.env("TZ", TEST_ZONE);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("TMUX");
        cmd.env_remove("COLORTERM");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("ILIOS_TOKEN");
        cmd.env_remove("ILIOS_URL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Pty::start(cmd, cols, rows)
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
        (
            "XDG_CACHE_HOME".to_string(),
            p.join("cache").display().to_string(),
        ),
    ];
    (dir, env)
}
