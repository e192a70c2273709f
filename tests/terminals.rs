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

/// The colour parameters of every SGR sequence in `raw` (`38;5;243`, `90`, `43`, ...).
fn colour_params(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut found = Vec::new();
    for seq in text.split("\x1b[").skip(1) {
        let params: String = seq
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ';')
            .collect();
        if !seq[params.len()..].starts_with('m') {
            continue;
        }
        let parts: Vec<&str> = params.split(';').collect();
        let mut i = 0;
        while i < parts.len() {
            let n: u16 = parts[i].parse().unwrap_or(0);
            match n {
                38 | 48 => {
                    let len = if parts.get(i + 1) == Some(&"2") { 5 } else { 3 };
                    found.push(parts[i..(i + len).min(parts.len())].join(";"));
                    i += len;
                    continue;
                }
                30..=37 | 40..=47 | 90..=97 | 100..=107 => found.push(n.to_string()),
                _ => {}
            }
            i += 1;
        }
    }
    found
}

/// Colours follow the terminal: the 16 ANSI colours (as `3N`/`9N`, not `38;5;N`) by default,
/// 256 colours when TERM or terminfo say so, RGB with COLORTERM=truecolor, none with NO_COLOR.
#[test]
fn colour_depth_follows_term_colorterm_and_no_color() {
    let (_dir, home) = common::private_home();
    let cases: &[(&str, &str, &str, &str)] = &[
        // TERM, COLORTERM, NO_COLOR, what is expected
        ("xterm", "", "", "16"),
        ("linux", "", "", "16"),
        ("xterm-256color", "", "", "256"),
        ("tmux-256color", "", "", "256"),
        ("xterm", "truecolor", "", "rgb"),
        ("xterm-256color", "24bit", "", "rgb"),
        ("xterm-256color", "truecolor", "1", "none"),
    ];
    for (term, colorterm, no_color, want) in cases {
        let mut env: Vec<(&str, &str)> =
            home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        env.extend([
            ("TERM", *term),
            ("COLORTERM", *colorterm),
            ("NO_COLOR", *no_color),
        ]);
        let mut pty = common::Pty::spawn(&["--demo"], &env, 80, 24);
        pty.wait_for("Nicholas A. Gutierrez");
        pty.wait_until(|s| !s.contains("Loading"), "the week loaded");
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
        let params = colour_params(&pty.raw_output());
        let case = format!("TERM={term} COLORTERM={colorterm} NO_COLOR={no_color}: {params:?}");
        let indexed = params.iter().any(|p| p.contains(";5;"));
        let rgb = params.iter().any(|p| p.contains(";2;"));
        let classic = params.iter().any(|p| !p.contains(';'));
        match *want {
            "16" => {
                assert!(classic && !indexed && !rgb, "{case}");
                // The header bar's orange is the palette's yellow.
                assert!(params.iter().any(|p| p == "43"), "{case}");
            }
            "256" => {
                assert!(indexed && !rgb, "{case}");
                // Hints in #767676 (4.5:1 on black and white), never the old dark grey.
                assert!(params.iter().any(|p| p == "38;5;243"), "{case}");
                assert!(!params.iter().any(|p| p == "38;5;8"), "{case}");
            }
            "rgb" => {
                assert!(rgb && !indexed, "{case}");
                assert!(params.iter().any(|p| p == "38;2;118;118;118"), "{case}");
            }
            _ => assert!(params.is_empty(), "{case}"),
        }
    }
}

/// The kitty keyboard protocol's escape disambiguation is asked for on the way in and given
/// back on the way out; with it an `Esc` arrives as `CSI 27 u`, which closes a dialog at once.
#[test]
fn kitty_keyboard_flags_are_pushed_and_popped() {
    let (_dir, home) = common::private_home();
    let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = common::Pty::spawn(&["--demo"], &env, 80, 24);
    pty.wait_for("Nicholas A. Gutierrez");
    pty.send("?");
    pty.wait_for("Show or hide this help");
    // What a kitty-protocol terminal sends for Esc, then `2` in the same write.
    pty.send("\x1b[27u2");
    pty.wait_until(
        |s| !s.contains("Show or hide this help") && s.contains("Week at a Glance "),
        "help closed by CSI 27 u and pane 2 shown",
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
    let raw = pty.raw_output();
    let at = |needle: &[u8]| raw.windows(needle.len()).position(|w| w == needle);
    let push = at(b"\x1b[>1u").expect("flags pushed");
    let pop = at(b"\x1b[<1u").expect("flags popped");
    assert!(push < pop);
    pty.assert_restored();
}

/// Ctrl-Z gives the screen back with the cursor shown (the shell prompt needs it), then takes
/// it again. The pty's process group has no job control, so the stop itself is skipped by the
/// kernel and the program goes on at once, as after `fg`.
#[test]
fn ctrl_z_gives_back_the_screen_with_the_cursor_shown() {
    let (_dir, home) = common::private_home();
    let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = common::Pty::spawn(&["--demo"], &env, 80, 24);
    pty.wait_for("Nicholas A. Gutierrez");
    assert!(pty.cursor_hidden());
    let before = pty.raw_output().len();
    pty.send("\x1a");
    pty.wait_until(
        |s| s.contains("Nicholas A. Gutierrez"),
        "redrawn after Ctrl-Z",
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    let after = pty.raw_output()[before..].to_vec();
    let at = |needle: &[u8]| after.windows(needle.len()).position(|w| w == needle);
    let left = at(b"\x1b[?1049l").expect("alternate screen left");
    let shown = at(b"\x1b[?25h").expect("cursor shown");
    let back = at(b"\x1b[?1049h").expect("alternate screen entered again");
    assert!(
        left < back && shown < back,
        "order: leave {left}, show {shown}, enter {back}"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
    pty.assert_restored();
}

/// A server that is down at start is not a dead end: the sign-in box shows the whole failure
/// and what to do; once the server is up, `r` asks again, and the same running program signs in
/// and loads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_down_at_start_is_asked_again_with_r_and_then_signs_in() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let (_dir, home) = common::private_home();
    let mut pty = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let pty = common::Pty::spawn(&["--url", &url], &env, 80, 24);
        pty.wait_for("r or Enter tries again");
        let screen = pty.contents();
        assert!(screen.contains("could not reach 127.0.0.1"), "{screen}");
        // The whole reason, not cut at the box's width.
        assert!(screen.contains("refused"), "{screen}");
        assert!(screen.contains("r try again"), "status bar: {screen}");
        pty
    })
    .await
    .unwrap();

    let server = ilios_tui::demo::DemoServer::start(ilios_tui::demo::DemoOptions {
        listen: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        ..common::demo_options()
    })
    .await
    .unwrap();
    tokio::task::spawn_blocking(move || {
        pty.send("r");
        pty.wait_for("Username");
        pty.send("nicholas");
        pty.send("\r");
        pty.send("demo");
        pty.send("\r");
        pty.wait_for("Nicholas A. Gutierrez");
        pty.wait_until(|s| !s.contains("Loading"), "the week loaded");
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
        pty.assert_restored();
    })
    .await
    .unwrap();
    server.shutdown().await;
}
