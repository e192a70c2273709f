//! Inside a real tmux: the new token goes to tmux's paste buffer (`tmux load-buffer -w -`) and
//! the app says which clipboard got it; the plain view is one line for tmux (and for a mouse).
//!
//! Needs `tmux` (`.ci/run` installs it). Without it the test says so and passes, unless
//! `ILIOS_TUI_REQUIRE_TMUX` is set, as CI sets it.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of its own (`-L`, no config), killed on drop.
struct Tmux {
    socket: String,
    _home: tempfile::TempDir,
}

impl Tmux {
    /// `ilios-tui <args>` in a new 80x24 session, or `None` when tmux is not installed.
    fn start(args: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("ILIOS_TUI_REQUIRE_TMUX").is_none(),
                "tmux is required here (ILIOS_TUI_REQUIRE_TMUX) but not installed"
            );
            eprintln!("skipped: tmux is not installed (apt-get install tmux)");
            return None;
        }
        let (home, env) = common::private_home();
        let socket = format!("ilios-tui-test-{}", std::process::id());
        let vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let program = format!(
            "env {} TZ={} LANG=C.UTF-8 {} --now {} {args}",
            vars.join(" "),
            common::TEST_ZONE,
            common::BIN,
            common::TEST_NOW
        );
        let tmux = Tmux {
            socket,
            _home: home,
        };
        tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            &program,
        ]);
        Some(tmux)
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen, with lines the terminal wrapped itself joined (`-J`).
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-J"])
    }

    fn keys(&self, keys: &str) {
        self.run(&["send-keys", keys]);
    }

    /// Waits until `text` is on screen, where a line break may stand for a space (the status bar
    /// wraps long messages), and returns the screen.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) || status_bar(&screen).contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited for {text:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The last two rows (the status bar) as one line.
fn status_bar(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let words: Vec<&str> = lines[lines.len().saturating_sub(2)..]
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect();
    words.join(" ")
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

#[test]
fn the_new_token_goes_to_tmuxs_buffer_and_the_app_says_which_clipboard_got_it() {
    let Some(tmux) = Tmux::start("--demo") else {
        return;
    };
    tmux.wait_for("Nicholas A. Gutierrez");
    tmux.keys("3");
    tmux.wait_for("Roles");
    tmux.keys("n");
    tmux.wait_for("When should this token stop working?");
    tmux.keys("Enter");
    tmux.wait_for("New Token:");

    // The plain view: the token alone, one line for tmux although it is wider than the pane.
    tmux.keys("v");
    let plain = tmux.wait_for("alone so that a mouse selection copies it whole");
    let lines: Vec<&str> = plain.lines().collect();
    let token = lines[2].trim_end().to_string();
    assert!(
        token.len() > 80,
        "a real token is wider than the pane: {token:?}"
    );
    assert_eq!(
        token.split('.').count(),
        3,
        "one whole JWT on one line: {token:?}"
    );
    assert!(lines[1].trim().is_empty() && lines[3].trim().is_empty());
    tmux.keys("x");
    tmux.wait_for("New Token:");

    // tmux's default set-clipboard (external) passes the buffer on to the outer terminal.
    tmux.keys("c");
    let screen = tmux.wait_for("in tmux's buffer (prefix ])");
    let status = status_bar(&screen);
    assert!(
        status.starts_with(
            "[ok] Token in tmux's buffer (prefix ]) and sent on to the terminal clipboard"
        ),
        "{screen}"
    );
    assert_eq!(tmux.run(&["show-buffer"]), token);

    // With set-clipboard off the text stays in tmux, and the app says so.
    tmux.run(&["set-option", "-g", "set-clipboard", "off"]);
    tmux.run(&["delete-buffer"]);
    tmux.keys("c");
    let screen = tmux.wait_for("paste buffer only");
    assert!(
        status_bar(&screen).contains("set-clipboard is off"),
        "{screen}"
    );
    assert_eq!(tmux.run(&["show-buffer"]), token);
    assert!(
        screen.contains("New Token:"),
        "the dialog stays open:\n{screen}"
    );

    // Esc closes (tmux holds an Esc for its escape-time first), and the token leaves the screen.
    tmux.keys("Escape");
    let start = Instant::now();
    while tmux.screen().contains("New Token:") && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let screen = tmux.screen();
    assert!(
        !screen.contains(&token[..40]),
        "closed: the token left the screen:\n{screen}"
    );
}
