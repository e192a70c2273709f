//! A misbehaving server: a proxy in front of the embedded demo server that puts terminal control
//! sequences into every name and title, answers with endless bodies or 10 MiB error messages,
//! and records the longest request line it was sent. Everything over real loopback HTTP, the
//! headless commands as processes, the TUI in a real pty or through `update` with real effects.

mod common;

use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ilios_tui::api::{ApiError, Client, ClientOptions, Token};
use ilios_tui::demo::{DemoOptions, DemoServer, Persona};

/// Clipboard (OSC 52), window title (OSC 0), clear screen (CSI 2J), a C1 CSI, a bidi override.
const PAYLOAD: &str = "\u{1b}]52;c;aGFja2Vk\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}";

/// Keys whose strings are shown to the user: user names, event and course titles, locations,
/// instructors, materials, session types, the app config's versions.
const POISONED_KEYS: &[&str] = &[
    "firstName",
    "lastName",
    "displayName",
    "name",
    "title",
    "courseTitle",
    "location",
    "sessionTypeTitle",
    "instructors",
    "apiVersion",
];

#[derive(Clone)]
enum Mode {
    /// Forward, with [`PAYLOAD`] in every shown string.
    Poison,
    /// Forward; the user record gets this many learner groups (ids from 1,000,000).
    ManyGroups(usize),
    /// Requests whose path contains `path` get an endless body (200, chunked).
    Endless { path: &'static str },
    /// Requests whose path contains `path` get this answer.
    Answer {
        path: &'static str,
        status: u16,
        json: bool,
        body: Arc<String>,
    },
    /// `/application/config` says `type` is this.
    ConfigType(&'static str),
}

#[derive(Clone)]
struct ProxyState {
    upstream: String,
    mode: Arc<Mutex<Mode>>,
    longest_line: Arc<Mutex<usize>>,
    requests: Arc<Mutex<usize>>,
    /// How many `Mode::Answer` bodies have been handed whole to the connection.
    answers_sent: Arc<Mutex<usize>>,
    http: reqwest::Client,
}

struct Proxy {
    url: String,
    state: ProxyState,
    demo: DemoServer,
}

impl Proxy {
    async fn start(mode: Mode) -> Proxy {
        Self::start_with(mode, common::demo_options()).await
    }

    async fn start_with(mode: Mode, options: DemoOptions) -> Proxy {
        let demo = DemoServer::start(options).await.unwrap();
        let state = ProxyState {
            upstream: demo.url().trim_end_matches('/').to_string(),
            mode: Arc::new(Mutex::new(mode)),
            longest_line: Arc::new(Mutex::new(0)),
            requests: Arc::new(Mutex::new(0)),
            answers_sent: Arc::new(Mutex::new(0)),
            http: reqwest::Client::new(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Proxy { url, state, demo }
    }

    fn token(&self) -> String {
        self.demo.token_for(Persona::Nicholas)
    }

    fn longest_request_line(&self) -> usize {
        *self.state.longest_line.lock().unwrap()
    }

    fn requests(&self) -> usize {
        *self.state.requests.lock().unwrap()
    }

    fn answers_sent(&self) -> usize {
        *self.state.answers_sent.lock().unwrap()
    }
}

fn poison(value: &mut serde_json::Value, shown: bool) {
    use serde_json::Value;
    match value {
        Value::String(s) if shown => s.push_str(PAYLOAD),
        Value::Array(items) => items.iter_mut().for_each(|v| poison(v, shown)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                poison(v, POISONED_KEYS.contains(&k.as_str()));
            }
        }
        _ => {}
    }
}

async fn handle(State(st): State<ProxyState>, req: Request) -> Response {
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let line = format!("{} {} HTTP/1.1", req.method(), path_and_query).len();
    {
        let mut longest = st.longest_line.lock().unwrap();
        *longest = (*longest).max(line);
        *st.requests.lock().unwrap() += 1;
    }
    let mode = st.mode.lock().unwrap().clone();
    let path = req.uri().path().to_string();
    match &mode {
        Mode::Endless { path: p } if path.contains(p) => {
            let start = futures::stream::once(async {
                Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"{\"userEvents\":["))
            });
            let endless = futures::stream::repeat_with(|| {
                Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b' '; 64 * 1024]))
            });
            let body = Body::from_stream(futures::StreamExt::chain(start, endless));
            return Response::builder()
                .header("content-type", "application/json")
                .body(body)
                .unwrap();
        }
        Mode::Answer {
            path: p,
            status,
            json,
            body,
        } if path.contains(p) => {
            let kind = if *json {
                "application/json"
            } else {
                "text/plain"
            };
            // In chunks, counting the answer once its last chunk has been taken.
            let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> = body
                .as_bytes()
                .chunks(1 << 20)
                .map(|c| Ok(axum::body::Bytes::copy_from_slice(c)))
                .collect();
            let sent = st.answers_sent.clone();
            let end = futures::stream::once(async move {
                *sent.lock().unwrap() += 1;
                Ok(axum::body::Bytes::new())
            });
            let stream = futures::StreamExt::chain(futures::stream::iter(chunks), end);
            return Response::builder()
                .status(*status)
                .header("content-type", kind)
                .body(Body::from_stream(stream))
                .unwrap();
        }
        _ => {}
    }
    // Forward to the demo server.
    let method = req.method().clone();
    let headers = req.headers().clone();
    let body = axum::body::to_bytes(req.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let mut forward = st
        .http
        .request(method, format!("{}{}", st.upstream, path_and_query))
        .body(body);
    for name in ["x-jwt-authorization", "content-type", "accept"] {
        if let Some(v) = headers.get(name) {
            forward = forward.header(name, v);
        }
    }
    let answer = match forward.send().await {
        Ok(a) => a,
        Err(e) => return (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    };
    let status = answer.status().as_u16();
    let bytes = answer.bytes().await.unwrap_or_default();
    let mut value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => {
            return Response::builder()
                .status(status)
                .body(Body::from(bytes))
                .unwrap();
        }
    };
    match &mode {
        Mode::Poison => poison(&mut value, false),
        Mode::ManyGroups(n) if path.starts_with("/api/v3/users/") => {
            if let Some(user) = value.pointer_mut("/users/0") {
                user["learnerGroups"] = (1_000_000..1_000_000 + *n as u64).collect();
            }
        }
        Mode::ManyGroups(_) if path.starts_with("/api/v3/learnergroups") => {
            // Echo one record per asked id, so the merged answer can be counted.
            let ids: Vec<u64> = path_and_query
                .split('&')
                .filter(|p| p.contains("filters%5Bid%5D") || p.contains("filters[id]"))
                .filter_map(|p| p.rsplit('=').next()?.parse().ok())
                .collect();
            if !ids.is_empty() {
                value = serde_json::json!({
                    "learnerGroups": ids.iter().map(|id| serde_json::json!({"id": id})).collect::<Vec<_>>()
                });
            }
        }
        Mode::ConfigType(t) if path.contains("application/config") => {
            value["config"]["type"] = serde_json::Value::String(t.to_string());
        }
        _ => {}
    }
    let mut resp = Response::new(Body::from(serde_json::to_vec(&value).unwrap()));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap();
    resp.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    resp
}

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Runs the binary off the async runtime (which serves the proxy), with a private home.
async fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let (dir, home) = common::private_home();
        let mut cmd = common::command();
        cmd.args(&args)
            .env_remove("ILIOS_TOKEN")
            .env_remove("ILIOS_URL")
            .stdin(Stdio::null());
        for (k, v) in home.iter().chain(env.iter()) {
            cmd.env(k, v);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("run ilios-tui");
        drop(dir);
        Run {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
        }
    })
    .await
    .unwrap()
}

/// No byte a terminal would act on: ESC, BEL, other C0 (but newline and tab), DEL, C1 (UTF-8
/// `C2 80`..`C2 9F`), bidi overrides and isolates.
fn assert_clean(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    for (i, c) in text.chars().enumerate() {
        let bad = matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(
            !bad,
            "{what}: U+{:04X} at char {i} reached the terminal:\n{text}",
            c as u32
        );
    }
}

#[tokio::test]
async fn headless_output_shows_server_controls_instead_of_sending_them() {
    let p = Proxy::start(Mode::Poison).await;
    let token = p.token();
    let env = [("ILIOS_TOKEN", token.as_str())];
    for args in [
        vec!["whoami"],
        vec!["whoami", "--json"],
        vec!["week"],
        vec!["week", "--json"],
        vec!["profile"],
        vec!["profile", "--json"],
    ] {
        let mut full = vec!["--url", p.url.as_str()];
        full.extend(&args);
        let r = run(&full, &env).await;
        let what = args.join(" ");
        assert_eq!(r.code, 0, "{what}: {}", r.err());
        assert_clean(&r.stdout, &format!("{what} stdout"));
        assert_clean(&r.stderr, &format!("{what} stderr"));
        if args.contains(&"--json") {
            // Escaped, not lost: the document still carries the server's text.
            let doc: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
            assert!(doc.to_string().contains("\\u001b]52"), "{what}: {doc}");
            assert!(r.out().contains("\\u202e"), "{what}");
        } else if args == ["whoami"] {
            // Shown visibly, so the user sees something is odd.
            assert!(r.out().contains("\\x1b]52;c;aGFja2Vk\\x07"), "{}", r.out());
            assert!(r.out().contains("\\u202e"), "{}", r.out());
        }
    }
}

#[tokio::test]
async fn error_texts_and_config_values_from_the_server_are_sanitized() {
    let p = Proxy::start(Mode::Poison).await;
    let token = p.token();
    let env = [("ILIOS_TOKEN", token.as_str())];
    let cases: Vec<(Mode, Vec<&str>, i32)> = vec![
        (
            Mode::Answer {
                path: "/auth/whoami",
                status: 401,
                json: false,
                body: Arc::new(format!("Authentication Failed{PAYLOAD}")),
            },
            vec!["whoami"],
            3,
        ),
        (
            Mode::Answer {
                path: "/auth/token",
                status: 400,
                json: true,
                body: Arc::new(
                    serde_json::json!({"code": 400, "message": format!("Invalid TTL{PAYLOAD}")})
                        .to_string(),
                ),
            },
            vec!["token", "create", "--ttl", "P1D"],
            4,
        ),
        (
            Mode::Answer {
                path: "/api/v3/users",
                status: 500,
                json: true,
                body: Arc::new(
                    serde_json::json!({"code": 500, "message": format!("Oops{PAYLOAD}")})
                        .to_string(),
                ),
            },
            vec!["whoami"],
            1,
        ),
        (
            Mode::ConfigType("cas\u{1b}]0;pwned\u{7}\u{202e}"),
            vec!["login"],
            2,
        ),
    ];
    for (mode, args, code) in cases {
        *p.state.mode.lock().unwrap() = mode;
        let mut full = vec!["--url", p.url.as_str()];
        full.extend(&args);
        let r = run(&full, &env).await;
        let what = args.join(" ");
        assert_eq!(r.code, code, "{what}: {}", r.err());
        assert_clean(&r.stdout, &format!("{what} stdout"));
        assert_clean(&r.stderr, &format!("{what} stderr"));
        assert!(r.err().contains("\\x1b]"), "{what}: {}", r.err());
    }
}

#[test]
fn the_tui_never_writes_server_controls_to_the_terminal() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let p = rt.block_on(Proxy::start(Mode::Poison));
    let token = p.token();
    let (_dir, home) = common::private_home();
    let mut env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("ILIOS_TOKEN", &token));
    let mut pty = common::Pty::spawn(&["--url", &p.url], &env, 120, 40);
    // Shown visibly, by the same sanitizer as the headless output: the header's name, and the
    // event names of the week once it is loaded.
    pty.wait_for("Nicholas\\x1b]52;c;aGFja2Vk\\x07");
    pty.wait_until(|s| !s.contains("Loading Events"), "the week loaded");
    assert!(
        pty.contents().matches("\\x1b]52").count() >= 2,
        "the events are not shown with visible escapes:\n{}",
        pty.contents()
    );
    pty.send("2");
    pty.send("3");
    pty.wait_for("Roles");
    pty.send("q");
    pty.wait_exit();
    let raw = pty.raw_output();
    let text = String::from_utf8_lossy(&raw);
    // The TUI's own sequences are there; the server's never are (nor the raw bidi or C1 chars).
    for needle in [
        "\u{1b}]52;c;aGFja2Vk",
        "\u{1b}]0;pwned",
        "\u{7}\u{1b}",
        "\u{202e}",
        "\u{9b}",
    ] {
        assert!(!text.contains(needle), "{needle:?} reached the terminal");
    }
}

#[tokio::test]
async fn an_endless_body_is_cut_off_at_the_limit_and_said_so() {
    let p = Proxy::start(Mode::Endless {
        path: "/userevents/",
    })
    .await;
    let token = p.token();
    // Headless: a 4 MiB limit from the config.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "max_answer_mib = 4\n").unwrap();
    let r = run(
        &[
            "--url",
            &p.url,
            "--config",
            config.to_str().unwrap(),
            "week",
        ],
        &[("ILIOS_TOKEN", &token)],
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.err());
    assert!(r.err().contains("larger than 4 MiB"), "{}", r.err());
    assert!(r.err().contains("max_answer_mib"), "{}", r.err());

    // The client itself, and the TUI's week pane.
    let options = ClientOptions {
        max_body_bytes: 1024 * 1024,
        ..ClientOptions::default()
    };
    let client = Client::new(&p.url, options.clone())
        .unwrap()
        .with_token(Token::new(token.clone()));
    let err = client.user_events(1, 0, 1).await.unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");

    let demo = DemoServer::start(common::demo_options()).await.unwrap();
    let mut h = common::headless::Headless::start_against(demo, &p.url, Persona::Nicholas, options);
    h.until("the week's answer", |app| app.flash.is_some())
        .await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("larger than 1"), "{screen}");
}

#[tokio::test]
async fn a_10_mib_error_message_is_shortened_on_stderr_in_the_log_and_in_the_ui() {
    let huge = "x".repeat(10 * 1024 * 1024);
    let p = Proxy::start(Mode::Answer {
        path: "/auth/token",
        status: 400,
        json: true,
        body: Arc::new(serde_json::json!({"code": 400, "message": huge}).to_string()),
    })
    .await;
    let token = p.token();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.txt");
    for (status, code) in [(400, 4), (401, 3), (500, 1)] {
        if let Mode::Answer { status: s, .. } = &mut *p.state.mode.lock().unwrap() {
            *s = status;
        }
        let r = run(
            &[
                "--url",
                &p.url,
                "--log-file",
                log.to_str().unwrap(),
                "token",
                "create",
                "--ttl",
                "P1D",
            ],
            &[("ILIOS_TOKEN", &token), ("ILIOS_TUI_LOG", "debug")],
        )
        .await;
        assert_eq!(r.code, code, "HTTP {status}");
        assert!(
            r.stderr.len() < 2048,
            "HTTP {status}: {} bytes",
            r.stderr.len()
        );
        assert!(r.err().contains("bytes in all"), "{}", r.err());
    }
    let log_len = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    assert!(log_len < 64 * 1024, "the log grew to {log_len} bytes");

    // The TUI: a week answered with a 500 carrying the 10 MiB message.
    *p.state.mode.lock().unwrap() = Mode::Answer {
        path: "/userevents/",
        status: 500,
        json: true,
        body: Arc::new(
            serde_json::json!({"code": 500, "message": "y".repeat(10 * 1024 * 1024)}).to_string(),
        ),
    };
    let demo = DemoServer::start(common::demo_options()).await.unwrap();
    let mut h = common::headless::Headless::start_against(
        demo,
        &p.url,
        Persona::Nicholas,
        ClientOptions::default(),
    );
    h.until("the week's failure", |app| app.flash.is_some())
        .await;
    let flash = format!("{:?}", h.app.flash);
    assert!(flash.len() < 2048, "the flash holds {} bytes", flash.len());
}

#[tokio::test]
async fn two_thousand_learner_groups_split_into_request_lines_under_8_kib() {
    let p = Proxy::start(Mode::ManyGroups(2000)).await;
    let token = p.token();
    // The client: one id list of 2,000, answered in parts and merged.
    let client = Client::new(&p.url, ClientOptions::default())
        .unwrap()
        .with_token(Token::new(token.clone()));
    let ids: Vec<(String, String)> = (1_000_000..1_002_000u64)
        .map(|id| ("filters[id][]".to_string(), id.to_string()))
        .collect();
    let before = p.requests();
    let value = client.get_value("learnergroups", &ids).await.unwrap();
    let got = value["learnerGroups"].as_array().unwrap();
    assert_eq!(got.len(), 2000);
    assert!(p.requests() - before > 1, "one request was sent");
    assert!(
        p.longest_request_line() <= 8192,
        "a request line of {} bytes",
        p.longest_request_line()
    );
    println!(
        "longest request line with 2,000 groups: {} bytes",
        p.longest_request_line()
    );

    // The headless profile of a user with 2,000 groups.
    let r = run(
        &["--url", &p.url, "profile", "--json"],
        &[("ILIOS_TOKEN", &token)],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.err());
    assert!(!r.out().contains("could not reach"), "{}", r.out());
    assert!(p.longest_request_line() <= 8192);
}

#[tokio::test]
async fn a_request_too_long_to_send_is_a_usage_error_not_could_not_reach() {
    let p = Proxy::start(Mode::Poison).await;
    let token = p.token();
    let ttl = format!("P{}D", "9".repeat(100 * 1024));
    let r = run(
        &["--url", &p.url, "token", "create", "--ttl", &ttl],
        &[("ILIOS_TOKEN", &token)],
    )
    .await;
    assert_eq!(r.code, 2, "{}", r.err());
    assert!(!r.err().contains("could not reach"), "{}", r.err());
    // Found before sending: a duration has at most nine digits a part (issue 14: a malformed ttl
    // is a usage error before any request); the message quotes it shortened.
    assert!(
        r.err().contains("is not an ISO-8601 duration"),
        "{}",
        r.err()
    );
    assert!(r.err().len() < 1000, "{} bytes on stderr", r.err().len());
}

/// A week of tens of MiB (40,000 events): it is decoded and its glance built off the UI thread,
/// so `q` acts at once — before the week is ever drawn — and the terminal is restored. Were the
/// work done on the UI thread, the week would be drawn before the key was read.
#[test]
fn q_quits_at_once_while_a_huge_week_is_processed() {
    use chrono::{Datelike, Duration as Days, TimeZone};
    let clock = common::test_clock();
    let today = clock.today();
    let monday = today - Days::days(today.weekday().num_days_from_monday() as i64);
    let zone = clock.zone();
    let description = "A long description of a generated session. ".repeat(10);
    let events: Vec<serde_json::Value> = (0..40_000)
        .map(|i| {
            let day = monday + Days::days(i % 5);
            let start = zone
                .from_local_datetime(&day.and_hms_opt(8 + (i % 9) as u32, 0, 0).unwrap())
                .earliest()
                .unwrap();
            serde_json::json!({
                "name": format!("Huge Week Event {i}"),
                "courseTitle": "Generated Course",
                "startDate": start.to_rfc3339(),
                "endDate": (start + Days::minutes(50)).to_rfc3339(),
                "offering": i + 1,
                "isPublished": true,
                "isScheduled": false,
                "location": "Room 1",
                "sessionDescription": description,
                "instructors": ["Ada Okafor", "Larry West"],
                "learningMaterials": [],
                "userContexts": ["learner"],
            })
        })
        .collect();
    let body = serde_json::to_string(&serde_json::json!({ "userEvents": events })).unwrap();
    let size = body.len();
    assert!(
        size > 20 * 1024 * 1024 && size < 32 * 1024 * 1024,
        "{size} bytes"
    );

    let rt = tokio::runtime::Runtime::new().unwrap();
    let p = rt.block_on(Proxy::start(Mode::Answer {
        path: "userevents",
        status: 200,
        json: true,
        body: Arc::new(body),
    }));
    let token = p.token();
    let (_dir, home) = common::private_home();
    let mut env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("ILIOS_TOKEN", &token));
    let mut pty = common::Pty::spawn(&["--url", &p.url], &env, 120, 40);
    // Once the whole week has been sent (and read off the socket a moment later), the client
    // is decoding it and building its glance: that is when `q` is pressed.
    pty.wait_for("Nicholas A. Gutierrez");
    let start = std::time::Instant::now();
    while p.answers_sent() == 0 && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(p.answers_sent() > 0, "the week was never sent");
    std::thread::sleep(std::time::Duration::from_millis(150));
    let pressed = std::time::Instant::now();
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
    let took = pressed.elapsed();
    pty.assert_restored();
    let drawn = String::from_utf8_lossy(&pty.raw_output()).contains("Huge Week Event");
    assert!(!drawn, "the week was drawn before q was read");
    // A figure for RELIABILITY.md (not an assertion: speed belongs there, not in tests).
    println!(
        "q with a {:.1} MiB week being processed: exited after {} ms",
        size as f64 / 1048576.0,
        took.as_millis()
    );
}

#[tokio::test]
async fn materials_show_server_controls_instead_of_sending_them() {
    let p = Proxy::start(Mode::Poison).await;
    let token = p.demo.token_for(Persona::Student);
    let env = [("ILIOS_TOKEN", token.as_str())];
    for args in [
        vec!["materials", "--all"],
        vec!["materials", "--all", "--json"],
    ] {
        let mut full = vec!["--url", p.url.as_str()];
        full.extend(&args);
        let r = run(&full, &env).await;
        let what = args.join(" ");
        assert_eq!(r.code, 0, "{what}: {}", r.err());
        assert_clean(&r.stdout, &format!("{what} stdout"));
        assert_clean(&r.stderr, &format!("{what} stderr"));
        let shown = if args.contains(&"--json") {
            "\\u001b]52"
        } else {
            "\\x1b]52"
        };
        assert!(r.out().contains(shown), "{what}: {}", r.out());
    }
}
