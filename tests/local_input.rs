//! Bad local input and a hostile local environment: an unwritable state folder, closed pipes
//! and full disks, far dates, signals from elsewhere, token sources that hang, flood or are not
//! text, core dumps, session file names, clashing keys, file modes. The binary as a process (or
//! in a pty) against the embedded demo server.

mod common;

use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ilios_tui::demo::{DemoServer, Persona};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn command(args: &[&str], env: &[(String, String)]) -> Command {
    let mut cmd = common::command();
    cmd.args(args)
        .env_remove("ILIOS_TOKEN")
        .env_remove("ILIOS_URL")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs to the end, or kills after 30 s and fails: a hang is a failure, not a stuck test.
fn finish(mut cmd: Command) -> Run {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let e = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("the command did not end within 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&e.join().unwrap()).into_owned(),
    }
}

fn home() -> (tempfile::TempDir, Vec<(String, String)>) {
    common::private_home()
}

fn with(env: &[(String, String)], more: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env = env.to_vec();
    env.extend(more.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

async fn demo() -> DemoServer {
    DemoServer::start(common::demo_options()).await.unwrap()
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

/// Item 4: the state folder cannot be written (a file stands where it should be).
#[tokio::test]
async fn invalidating_with_an_unwritable_state_folder_prints_the_new_token() {
    let s = demo().await;
    let url = s.url();
    let token = s.token_for(Persona::Nicholas);
    let (dir, env) = home();
    let blocked = dir.path().join("state-is-a-file");
    std::fs::write(&blocked, "").unwrap();
    let env = with(
        &env,
        &[
            ("XDG_STATE_HOME", blocked.to_str().unwrap()),
            ("ILIOS_TOKEN", &token),
        ],
    );
    let args = ["--url", &url, "token", "invalidate", "--yes"].map(String::from);
    let env2 = env.clone();
    let r = blocking(move || {
        finish(command(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            &env2,
        ))
    })
    .await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("could NOT be saved"), "{}", r.stderr);
    let fresh = r.stdout.trim().to_string();
    assert!(
        fresh.split('.').count() == 3,
        "no token printed: {:?}",
        r.stdout
    );
    // The printed token works.
    let env = with(&env, &[("ILIOS_TOKEN", &fresh)]);
    let ok = blocking(move || finish(command(&["--url", &url, "whoami"], &env))).await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

/// Item 4 in the TUI: the flash says plainly the token was not saved.
#[test]
fn the_tui_says_when_the_new_token_could_not_be_saved() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(demo());
    let token = s.token_for(Persona::Nicholas);
    let (dir, home) = home();
    let blocked = dir.path().join("state-is-a-file");
    std::fs::write(&blocked, "").unwrap();
    let blocked = blocked.display().to_string();
    let mut env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("XDG_STATE_HOME", &blocked));
    env.push(("ILIOS_TOKEN", &token));
    let url = s.url();
    // Tall enough that Manage API Tokens is on screen below the profile boxes.
    let mut pty = common::Pty::spawn(&["--url", &url], &env, 120, 70);
    pty.wait_for("Nicholas");
    pty.send("3");
    pty.wait_for("Roles");
    pty.send("i");
    pty.wait_for("Are you sure");
    pty.send("y");
    pty.wait_for("could NOT be saved");
    // Still signed in on the new token: a reload works.
    pty.send("r");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

/// Item 6.
#[tokio::test]
async fn far_dates_write_errors_and_closed_pipes_never_panic() {
    let (_dir, env) = home();
    for date in [
        "--date=+262142-12-31",
        "--date=-262143-01-01",
        "--date=0000-01-01",
    ] {
        let env = env.clone();
        let r = blocking(move || finish(command(&["--demo", "week", date], &env))).await;
        assert_eq!(r.code, 2, "{date}: {}", r.stderr);
        assert!(r.stderr.contains("between 1 and 9999"), "{}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    // > /dev/full: a message and exit 1.
    let env2 = env.clone();
    let r = blocking(move || {
        let mut cmd = command(&["--demo", "whoami"], &env2);
        cmd.stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .stderr(Stdio::piped());
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await;
    assert_eq!(r.0, 1, "{}", r.1);
    assert!(r.1.contains("cannot write the output"), "{}", r.1);
    assert!(!r.1.contains("panicked"), "{}", r.1);
    // A reader that went away before the output came: quiet, no panic.
    let env3 = env.clone();
    let (code, stderr) = blocking(move || {
        let mut child = command(&["--demo", "week"], &env3)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await;
    assert_eq!(code, 141, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

fn signal_and_check(signal: i32) {
    let (_dir, home) = home();
    let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = common::Pty::spawn(&["--demo"], &env, 80, 24);
    pty.wait_for("Nicholas A. Gutierrez");
    assert!(pty.alternate_screen());
    let pid = pty.pid().expect("pid") as i32;
    // SAFETY: signalling the child we started.
    unsafe {
        libc::kill(pid, signal);
    }
    pty.wait_exit();
    pty.assert_restored();
}

/// Item 8.
#[test]
fn sigint_sigquit_sigusr1_and_sigalrm_restore_the_terminal() {
    for signal in [libc::SIGINT, libc::SIGQUIT, libc::SIGUSR1, libc::SIGALRM] {
        signal_and_check(signal);
    }
}

/// Item 9: a set but unusable ILIOS_TOKEN is an error, not "use the stored session".
#[tokio::test]
async fn a_non_utf8_ilios_token_is_an_error_not_skipped() {
    let s = demo().await;
    let url = s.url();
    let token = s.token_for(Persona::Student);
    let (_dir, env) = home();
    // A stored session for the student.
    let env2 = env.clone();
    let url2 = url.clone();
    let r = blocking(move || {
        let mut cmd = command(&["--url", &url2, "login", "--with-token"], &env2);
        cmd.stdin(Stdio::piped());
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(token.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await;
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let r = blocking(move || {
        let mut cmd = command(&["--url", &url, "whoami"], &env);
        cmd.env(
            "ILIOS_TOKEN",
            std::ffi::OsStr::from_bytes(b"eyJ\xff\xfe.bad"),
        );
        finish(cmd)
    })
    .await;
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(!r.stdout.contains("Powell"), "ran as the stored session");
    assert!(r.stderr.contains("ILIOS_TOKEN"), "{}", r.stderr);
}

/// Item 12: a token command that hangs or floods, a FIFO as token file.
#[tokio::test]
async fn token_sources_are_bounded_in_time_size_and_kind() {
    let s = demo().await;
    let url = s.url();
    let (dir, env) = home();
    let cases = [
        (
            "token_command = \"sleep 60\"\ntoken_command_timeout_secs = 1\n",
            "did not finish within 1 s",
        ),
        ("token_command = \"yes\"\n", "more than 65536 bytes"),
    ];
    for (i, (config, said)) in cases.into_iter().enumerate() {
        let path = dir.path().join(format!("c{i}.toml"));
        std::fs::write(&path, config).unwrap();
        let (env, url) = (env.clone(), url.clone());
        let r = blocking(move || {
            finish(command(
                &["--url", &url, "--config", path.to_str().unwrap(), "whoami"],
                &env,
            ))
        })
        .await;
        assert_eq!(r.code, 1, "{config}: {}", r.stderr);
        assert!(r.stderr.contains(said), "{config}: {}", r.stderr);
    }
    let fifo = dir.path().join("token.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path in our temporary folder.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let r = blocking(move || {
        finish(command(
            &[
                "--url",
                &url,
                "--token-file",
                fifo.to_str().unwrap(),
                "whoami",
            ],
            &env,
        ))
    })
    .await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
}

/// Item 13: /proc/PID of a non-dumpable process belongs to root, whoever runs it; so run the
/// binary as another user (needs root, as in CI) and look at the owner.
#[test]
fn the_process_is_not_dumpable_unless_asked() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!("SKIPPED: needs root to run the binary as another user");
        return;
    }
    let nobody = 65534;
    let owner = |allow: bool| {
        use std::os::unix::process::CommandExt;
        let mut cmd = common::command();
        cmd.args(["demo-server"])
            .uid(nobody)
            .gid(nobody)
            .env("HOME", "/tmp")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if allow {
            cmd.env("ILIOS_TUI_ALLOW_CORE_DUMPS", "1");
        }
        let mut child = cmd.spawn().expect("spawn as nobody");
        let mut line = [0u8; 10];
        let _ = child.stdout.as_mut().unwrap().read(&mut line);
        use std::os::unix::fs::MetadataExt;
        let uid = std::fs::metadata(format!("/proc/{}/status", child.id()))
            .unwrap()
            .uid();
        let _ = child.kill();
        let _ = child.wait();
        uid
    };
    assert_eq!(owner(false), 0, "the process is dumpable");
    assert_eq!(
        owner(true),
        nobody,
        "ILIOS_TUI_ALLOW_CORE_DUMPS=1 is ignored"
    );
}

/// Item 10: a kill during a save leaves `.tmp*`; logout removes it. Names never collide.
#[test]
fn logout_removes_half_written_session_files_and_names_never_collide() {
    let (dir, env) = home();
    let sessions = dir.path().join("state/ilios-tui/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let leftover = sessions.join(".tmpAbC123");
    std::fs::write(&leftover, "{\"url\":\"x\",\"jwt\":\"a.b.c\"}").unwrap();
    let r = finish(command(
        &["--url", "http://127.0.0.1:9/a/b", "logout"],
        &env,
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !leftover.exists(),
        "the half-written session is still there"
    );

    // SAFETY-free: path_for only reads XDG variables, which this test binary leaves alone.
    let a = ilios_tui::config::StoredSession::path_for("https://h.example/a/b").unwrap();
    let b = ilios_tui::config::StoredSession::path_for("https://h.example/a_b").unwrap();
    assert_ne!(a, b);
    let c = ilios_tui::config::StoredSession::path_for("https://H.example/a/b/").unwrap();
    assert_eq!(a, c, "the same server normalized differently");
}

/// Item 11, as the user meets it.
#[test]
fn a_clashing_key_binding_is_refused_naming_the_key_and_both_commands() {
    let (dir, env) = home();
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "[keys]\nquit = \"1\"\n").unwrap();
    let r = finish(command(
        &["--demo", "--config", config.to_str().unwrap()],
        &env,
    ));
    assert_eq!(r.code, 1, "{}", r.stderr);
    for word in ["`1`", "quit", "dashboard"] {
        assert!(r.stderr.contains(word), "{word}: {}", r.stderr);
    }
}

/// Item 15: malformed --url is a usage error (2); the demo server bounds its week; the log is private.
#[test]
fn smaller_items() {
    let (dir, env) = home();
    let env = with(&env, &[("ILIOS_TOKEN", "a.b.c")]);
    for url in ["http://", "not a url", "ftp://x"] {
        let r = finish(command(&["--url", url, "whoami"], &env));
        assert_eq!(r.code, 2, "{url}: {}", r.stderr);
    }
    let r = finish(command(
        &["demo-server", "--events-per-week", "1000000000"],
        &env,
    ));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("at most 20000"), "{}", r.stderr);

    let r = finish(command(&["--demo", "whoami"], &env));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let folder = dir.path().join("state/ilios-tui");
    let log = folder.join("ilios-tui.log");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&log), 0o600, "log file");
    assert_eq!(mode(&folder), 0o700, "log folder");
}
