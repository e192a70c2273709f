//! Tokens never reach the log file, stderr or panic output, even with trace-level logging.

mod common;

use std::io::Write;
use std::process::Stdio;

use ilios_tui::demo::{DemoServer, Persona};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], env: &[(String, String)], stdin: Option<&str>) -> Out {
    let mut child = common::command()
        .args(args)
        .env_remove("ILIOS_TOKEN")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env("ILIOS_TUI_LOG", "trace")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

/// The signature part is the secret; checking it also catches a logged header or body.
fn assert_absent(haystack: &str, token: &str, place: &str) {
    let signature = token.rsplit('.').next().unwrap();
    assert!(
        !haystack.contains(signature),
        "a token leaked into {place}:\n{haystack}"
    );
}

#[tokio::test]
async fn sign_in_create_and_invalidate_leak_nothing() {
    let server = DemoServer::start(common::demo_options()).await.unwrap();
    let url = server.url();
    let first = server.token_for(Persona::Student);
    let (dir, mut env) = common::private_home();
    let log = dir.path().join("trace.log");
    env.push(("ILIOS_URL".into(), url.clone()));
    let log_arg = log.display().to_string();
    let outs = tokio::task::spawn_blocking(move || {
        let mut outs = Vec::new();
        let mut tokens = vec![first.clone()];
        // Sign in with a token on stdin, then everything uses the stored session.
        let o = run(
            &["login", "--with-token", "--log-file", &log_arg],
            &env,
            Some(&first),
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        outs.push(o);
        let o = run(
            &["token", "create", "--ttl", "P1D", "--log-file", &log_arg],
            &env,
            None,
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        tokens.push(o.stdout.trim().to_string());
        outs.push(o);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let o = run(
            &[
                "token",
                "invalidate",
                "--yes",
                "--print-new-token",
                "--log-file",
                &log_arg,
            ],
            &env,
            None,
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        tokens.push(o.stdout.trim().to_string());
        outs.push(o);
        // A refused token: the server's reason is shown, the token is not.
        let o = run(
            &["whoami", "--log-file", &log_arg],
            &[env.clone(), vec![("ILIOS_TOKEN".into(), first.clone())]].concat(),
            None,
        );
        assert_eq!(o.code, 3);
        outs.push(o);
        (outs, tokens)
    })
    .await
    .unwrap();
    let (outs, tokens) = outs;
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("TRACE") || log_text.contains("DEBUG"),
        "trace logging was on: {log_text}"
    );
    for token in &tokens {
        assert!(!token.is_empty());
        assert_absent(&log_text, token, "the log file");
        for o in &outs {
            assert_absent(&o.stderr, token, "stderr");
        }
    }
    // The session file holds the current token and nobody else may read it.
    let sessions = dir.path().join("state/ilios-tui/sessions");
    let file = std::fs::read_dir(&sessions)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains(tokens.last().unwrap())
    );
}

/// The panic hook fires in the middle of a session: the token in memory, the user loaded and
/// drawn (`ILIOS_TUI_TEST_PANIC` panics once the user is ready, and names the session). Neither
/// the panic output nor the trace log holds any part of the token but the header every JWT has.
#[test]
fn panic_output_has_no_token() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt
        .block_on(DemoServer::start(common::demo_options()))
        .unwrap();
    let token = server.token_for(Persona::Student);
    let (dir, home) = common::private_home();
    let log = dir.path().join("trace.log");
    let log_arg = log.display().to_string();
    let url = server.url();
    let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = common::Pty::spawn(
        &["--url", &url, "--log-file", &log_arg],
        &[
            env,
            vec![
                ("ILIOS_TOKEN", token.as_str()),
                ("ILIOS_TUI_TEST_PANIC", "1"),
                ("ILIOS_TUI_LOG", "trace"),
                ("RUST_BACKTRACE", "full"),
            ],
        ]
        .concat(),
        80,
        24,
    );
    assert_ne!(pty.wait_exit(), 0);
    let out = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(
        out.contains("panic requested by ILIOS_TUI_TEST_PANIC"),
        "{out}"
    );
    // The panic came with the session loaded: its (redacted) token and the student's id.
    assert!(
        out.contains("Some(Session { token: Token([redacted])") && out.contains("user_id: 2"),
        "no session at the panic:\n{out}"
    );
    // The user had been loaded with that token.
    assert!(
        server
            .request_log()
            .iter()
            .any(|r| r.path_and_query.starts_with("/api/v3/users/2") && r.status == 200),
        "{:?}",
        server.request_log()
    );
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("TRACE") || log_text.contains("DEBUG"),
        "{log_text}"
    );
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    for (part, what) in [(parts[1], "payload"), (parts[2], "signature")] {
        for (text, place) in [(&out, "the panic output"), (&log_text, "the log file")] {
            assert!(
                !text.contains(part),
                "the token's {what} leaked into {place}:\n{text}"
            );
        }
    }
    drop(rt);
}
