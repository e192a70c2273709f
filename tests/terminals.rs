//! What the terminal can do decides: the full-screen view starts only on a terminal that can
//! place the cursor, and says what to use instead otherwise, before writing any escape sequence.

mod common;

use std::process::Stdio;

#[test]
fn output_that_is_not_a_terminal_is_refused_at_once_with_what_to_use() {
    let (_dir, home) = common::private_home();
    let out = common::command()
        .arg("--demo")
        .envs(home)
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing is written to the file");
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(stderr.contains("ssh -t"), "{stderr}");
    assert!(stderr.contains("ilios-tui whoami"), "{stderr}");
}

#[test]
fn a_dumb_terminal_is_refused_with_what_to_use() {
    let (_dir, home) = common::private_home();
    let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for term in ["dumb", ""] {
        let mut env = env.clone();
        env.push(("TERM", term));
        let mut pty = common::Pty::spawn(&["--demo"], &env, 80, 24);
        assert_eq!(pty.wait_exit(), 2, "TERM={term:?}: {}", pty.contents());
        let screen = pty.contents();
        assert!(screen.contains("cannot place the cursor"), "{screen}");
        assert!(screen.contains("headless commands"), "{screen}");
        let raw = pty.raw_output();
        assert!(
            !raw.windows(2).any(|w| w == b"\x1b["),
            "TERM={term:?}: an escape sequence was written"
        );
    }
}

/// A locale that is not UTF-8 (`LANG=C`, or none at all): borders, arrows and marks are drawn in
/// ASCII, and no byte above 0x7F reaches the terminal — on every pane and in a dialog.
#[test]
fn a_c_locale_gets_only_ascii() {
    let (_dir, home) = common::private_home();
    for (lang, lc_all) in [("C", ""), ("", ""), ("en_US.UTF-8", "POSIX")] {
        let mut env: Vec<(&str, &str)> =
            home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        env.extend([("LANG", lang), ("LC_ALL", lc_all), ("LC_CTYPE", "")]);
        let mut pty = common::Pty::spawn(&["--demo", "--persona", "student"], &env, 80, 24);
        pty.wait_for("Walter Stephanie Powell >");
        pty.wait_until(|s| !s.contains("Loading"), "the week loaded");
        for key in ["2", "3", "?"] {
            pty.send(key);
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        pty.wait_for("Help");
        let screen = pty.contents();
        assert!(screen.contains("+-"), "ASCII corners and lines:\n{screen}");
        // Esc alone (Esc and a key in one read are still taken as Alt+key: issue 14).
        pty.send("\x1b");
        pty.wait_until(|s| !s.contains("Help"), "the help closed");
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0);
        let raw = pty.raw_output();
        let high = raw.iter().filter(|b| **b > 0x7f).count();
        assert_eq!(
            high, 0,
            "LANG={lang:?} LC_ALL={lc_all:?}: {high} bytes above 0x7F"
        );
    }
    // And a UTF-8 locale keeps its lines.
    let mut env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.extend([("LANG", "C.UTF-8"), ("LC_ALL", ""), ("LC_CTYPE", "")]);
    let mut pty = common::Pty::spawn(&["--demo", "--persona", "student"], &env, 80, 24);
    pty.wait_for("Walter Stephanie Powell ▸");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

/// Esc and the next key in one write, as a laggy link or tmux delivers them (`ESC q` reads as
/// Alt-q): taken as Esc, then the key — the help closes and `q` quits.
#[test]
fn esc_and_a_key_in_one_read_are_esc_then_the_key() {
    let (_dir, home) = common::private_home();
    let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = common::Pty::spawn(&["--demo"], &env, 80, 24);
    pty.wait_for("Nicholas A. Gutierrez");
    pty.send("3");
    pty.wait_for("Roles");
    pty.send("?");
    pty.wait_for("Show or hide this help");
    pty.send("\x1b2");
    pty.wait_until(
        |s| {
            !s.contains("Show or hide this help")
                && s.contains("Week at a Glance ")
                && !s.contains("Roles")
        },
        "help closed and pane 2 shown",
    );
    pty.send("\x1bq");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
    pty.assert_restored();
}
