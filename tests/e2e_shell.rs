//! The built binary in a pseudo-terminal: the flows a person follows, and the terminal restored
//! after every way of leaving.

mod common;

use common::Pty;

fn demo(cols: u16, rows: u16, extra_env: &[(&str, &str)]) -> (Pty, tempfile::TempDir) {
    let (dir, home) = common::private_home();
    let mut env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.extend_from_slice(extra_env);
    (Pty::spawn(&["--demo"], &env, cols, rows), dir)
}

#[test]
fn demo_signs_in_shows_help_switches_panes_and_quits_cleanly() {
    let (mut pty, _home) = demo(80, 24, &[]);
    // The header's name comes from the server (the user record), not from the token.
    pty.wait_for("Nicholas A. Gutierrez");
    pty.wait_for("API v3.15");
    // While running: alternate screen, hidden cursor, raw mode — so the checks below can fail.
    assert!(pty.alternate_screen());
    assert!(pty.cursor_hidden());
    assert_eq!(pty.tty_echo_and_canonical(), (false, false));
    pty.send("?");
    pty.wait_for("Show or hide this help");
    pty.send("\x1b");
    pty.wait_until(|s| !s.contains("Show or hide this help"), "help closed");
    pty.send("3");
    pty.wait_for("3 My Profile");
    pty.send("\t");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
}

#[test]
fn terminal_is_restored_after_ctrl_c() {
    let (mut pty, _home) = demo(80, 24, &[]);
    pty.wait_for("Nicholas A. Gutierrez");
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
}

fn signal_and_check(signal: i32) {
    let (mut pty, _home) = demo(80, 24, &[]);
    pty.wait_for("Nicholas A. Gutierrez");
    let pid = pty.pid().expect("pid") as i32;
    // SAFETY: signalling the child we started.
    unsafe {
        libc::kill(pid, signal);
    }
    pty.wait_exit();
    pty.assert_restored();
}

#[test]
fn terminal_is_restored_after_sigterm() {
    signal_and_check(libc::SIGTERM);
}

#[test]
fn terminal_is_restored_after_sighup() {
    signal_and_check(libc::SIGHUP);
}

#[test]
fn terminal_is_restored_after_a_panic() {
    let (mut pty, _home) = demo(80, 24, &[("ILIOS_TUI_TEST_PANIC", "1")]);
    let code = pty.wait_exit();
    assert_ne!(code, 0);
    pty.assert_restored();
    let out = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(
        out.contains("panic requested by ILIOS_TUI_TEST_PANIC"),
        "{out}"
    );
}

#[test]
fn too_small_terminal_says_so() {
    let (mut pty, _home) = demo(40, 10, &[]);
    pty.wait_for("Too small: ");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
}

#[test]
fn an_expired_token_goes_to_sign_in_and_a_password_signs_in() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt
        .block_on(ilios_tui::demo::DemoServer::start(common::demo_options()))
        .unwrap();
    let now = server.clock().now().timestamp();
    let expired = server.mint_token(ilios_tui::demo::TokenSpec {
        user_id: ilios_tui::demo::Persona::Student.user_id(),
        iat: now - 7200,
        exp: now - 60,
        first_created_at: now - 7200,
        refresh_count: 0,
    });
    let (_dir, home) = common::private_home();
    let url = server.url();
    let mut env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("ILIOS_TOKEN", &expired));
    let mut pty = Pty::spawn(&["--url", &url], &env, 80, 24);
    pty.wait_for("The token from ILIOS_TOKEN expired");
    pty.wait_for("Username");
    pty.send("student");
    pty.send("\t");
    pty.send("demo");
    // The password is masked on screen.
    pty.wait_for("••••");
    assert!(!pty.contents().contains("demo"), "{}", pty.contents());
    pty.send("\r");
    pty.wait_for("Walter Stephanie Powell");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
    drop(rt);
}
