//! The headless commands as processes, for the tests that run them.

use std::process::{Output, Stdio};

/// What a headless command did: its exit code and output.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `ilios-tui <args>` as a process: no token or server from the caller's environment,
/// `token` as `ILIOS_TOKEN`, and `home`'s variables.
pub fn run(args: &[&str], token: Option<&str>, home: &[(String, String)]) -> Run {
    let mut cmd = crate::common::command();
    cmd.args(args)
        .env_remove("ILIOS_TOKEN")
        .env_remove("ILIOS_URL")
        .stdin(Stdio::null());
    for (k, v) in home {
        cmd.env(k, v);
    }
    if let Some(t) = token {
        cmd.env("ILIOS_TOKEN", t);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run ilios-tui");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// Runs the blocking process off the async runtime that serves the demo server.
pub async fn run_async(args: Vec<String>, token: Option<String>) -> Run {
    let (dir, home) = crate::common::private_home();
    let r = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, token.as_deref(), &home)
    })
    .await
    .unwrap();
    drop(dir);
    r
}
