//! End-to-end benchmarks of the release binary in a pseudo-terminal against the embedded server.
//!
//! `cargo bench --bench tui` (add `-- --quick`, or set `BENCH_QUICK=1`, for fewer iterations).
//!
//! Each figure is printed beside its target:
//! - launch to a populated dashboard (spawn to the first of this week's event names on screen);
//! - sequential round trips to a populated My Profile, from the server's request log, and with
//!   100 ms server latency the time from the first request to the profile wave's last answer;
//! - key press to updated screen while a request is in flight;
//! - bytes written to the terminal during 10 idle seconds;
//! - peak resident memory with a 1,000-event week loaded;
//! - week changes: each week fetched once, the profile never refetched.
//!
//! Times are taken by the pty reader thread the moment the bytes that complete a marker arrive,
//! so polling does not add to them.

use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;

use ilios_tui::api::{Client, ClientOptions, Token};
use ilios_tui::demo::{DemoOptions, DemoServer, LoggedRequest, Persona};
use ilios_tui::domain::week::{Week, WeekStart};

// The pty of the end-to-end tests: a vt100 screen fed by a reader thread that timestamps markers
// as bytes arrive.
#[path = "../tests/common/pty.rs"]
mod pty;
use pty::Pty;

const BIN: &str = env!("CARGO_BIN_EXE_ilios-tui");
const COLS: u16 = 120;
const ROWS: u16 = 40;
const WAIT: Duration = Duration::from_secs(20);
const STUDENT_NAME: &str = "Walter Stephanie Powell";
const HELP_MARKER: &str = "Show or hide this help";

/// Starts `ilios-tui --url <url>` signed in with `token`, in a private HOME.
fn spawn(url: &str, token: &str) -> Pty {
    let home = tempfile::tempdir().expect("tempdir");
    let pty = spawn_in(url, token, home.path());
    pty.keeping(home)
}

/// [`spawn`] in the private HOME `p`, kept by the caller (so a second launch finds what the
/// first kept in `$XDG_CACHE_HOME`).
fn spawn_in(url: &str, token: &str, p: &std::path::Path) -> Pty {
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(["--url", url]);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("TMUX");
    cmd.env_remove("RUST_LOG");
    cmd.env("ILIOS_TOKEN", token);
    cmd.env("HOME", p);
    cmd.env("XDG_CONFIG_HOME", p.join("config"));
    cmd.env("XDG_STATE_HOME", p.join("state"));
    cmd.env("XDG_DATA_HOME", p.join("data"));
    cmd.env("XDG_CACHE_HOME", p.join("cache"));
    Pty::start(cmd, COLS, ROWS)
}

// ---------------------------------------------------------------------------------------------
// Figures.

struct Row {
    name: &'static str,
    median: f64,
    min: f64,
    max: f64,
    n: usize,
    unit: &'static str,
    target: f64,
    note: String,
}

impl Row {
    fn from(
        name: &'static str,
        unit: &'static str,
        target: f64,
        samples: &[f64],
        note: String,
    ) -> Row {
        let mut s = samples.to_vec();
        s.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let median = if s.is_empty() {
            f64::NAN
        } else if s.len() % 2 == 1 {
            s[s.len() / 2]
        } else {
            (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0
        };
        Row {
            name,
            median,
            min: s.first().copied().unwrap_or(f64::NAN),
            max: s.last().copied().unwrap_or(f64::NAN),
            n: s.len(),
            unit,
            target,
            note,
        }
    }

    fn pass(&self) -> bool {
        self.median <= self.target
    }

    fn print(&self) {
        let fmt = |v: f64| {
            if self.unit == "ms" || self.unit == "MiB" {
                format!("{v:.1}")
            } else {
                format!("{v:.0}")
            }
        };
        let range = format!("({}..{}, n={})", fmt(self.min), fmt(self.max), self.n);
        // An infinite target marks a figure shown for comparison only.
        let (target, result) = if self.target.is_infinite() {
            ("—".to_string(), "")
        } else if self.pass() {
            (format!("<= {} {}", fmt(self.target), self.unit), "PASS")
        } else {
            (format!("<= {} {}", fmt(self.target), self.unit), "FAIL")
        };
        println!(
            "{:<34} {:>7} {:<4} {:<20} {:<12} {:<4}  {}",
            self.name,
            fmt(self.median),
            self.unit,
            range,
            target,
            result,
            self.note
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

// ---------------------------------------------------------------------------------------------
// Server helpers.

/// This week's event names for the student, as the app asks for them (Sunday weeks, local time).
fn this_week_names(rt: &tokio::runtime::Runtime, server: &DemoServer) -> Vec<String> {
    let client = Client::new(&server.url(), ClientOptions::default())
        .expect("client")
        .with_token(Token::new(server.token_for(Persona::Student)));
    let today = chrono::Local::now().date_naive();
    let mut names = Vec::new();
    for start in [WeekStart::Sunday, WeekStart::Monday] {
        let (from, to) = Week::containing(today, start).unix_range(&chrono::Local);
        let events = rt
            .block_on(client.user_events(Persona::Student.user_id(), from, to))
            .expect("userevents");
        let these: Vec<String> = events
            .into_iter()
            // A prefix survives truncation in narrow columns.
            .map(|e| e.name.chars().take(14).collect::<String>())
            .filter(|n| n.chars().count() >= 6)
            .collect();
        if names.is_empty() {
            names = these;
        } else {
            names.retain(|n| these.contains(n));
        }
    }
    names.sort();
    names.dedup();
    server.clear_request_log();
    names
}

/// Waits until the request log has not grown for `quiet` (at most `max`).
fn wait_log_quiet(server: &DemoServer, quiet: Duration, max: Duration) -> Vec<LoggedRequest> {
    let start = Instant::now();
    let mut len = server.request_log().len();
    let mut since = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let now_len = server.request_log().len();
        if now_len != len {
            len = now_len;
            since = Instant::now();
        }
        if since.elapsed() >= quiet || start.elapsed() >= max {
            return server.request_log();
        }
    }
}

fn is_week(r: &LoggedRequest) -> bool {
    r.path_and_query.starts_with("/api/v3/userevents/")
}

fn is_user(r: &LoggedRequest) -> bool {
    r.path_and_query.starts_with("/api/v3/users/")
}

/// Requests that belong to the profile: the user record and everything else under `/api`
/// except the week's events.
fn is_profile(r: &LoggedRequest) -> bool {
    r.path_and_query.starts_with("/api/") && !is_week(r)
}

/// Wave of each request: 1 + the deepest request that finished before it started.
fn waves(log: &[LoggedRequest]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..log.len()).collect();
    order.sort_by_key(|&i| log[i].started);
    let mut level = vec![0usize; log.len()];
    for (k, &i) in order.iter().enumerate() {
        let mut l = 1;
        for &j in &order[..k] {
            if log[j].finished <= log[i].started {
                l = l.max(level[j] + 1);
            }
        }
        level[i] = l;
    }
    level
}

fn marker_any(names: Vec<String>) -> impl Fn(&str) -> bool + Send + 'static {
    move |s: &str| names.iter().any(|n| s.contains(n.as_str()))
}

// ---------------------------------------------------------------------------------------------
// Measurements.

struct Env {
    rt: tokio::runtime::Runtime,
    server: DemoServer,
    token: String,
    names: Vec<String>,
    quick: bool,
}

impl Env {
    fn spawn(&self) -> Pty {
        spawn(&self.server.url(), &self.token)
    }

    /// Spawns and waits for the populated dashboard (an event name, else the user's name).
    fn populated(&self) -> Pty {
        let pty = self.spawn();
        let marker = if self.names.is_empty() {
            pty.watch(|s| s.contains(STUDENT_NAME))
        } else {
            pty.watch(marker_any(self.names.clone()))
        };
        if pty.wait_hit(marker, WAIT).is_none() {
            // The panes may not draw events yet: fall back to the header's name.
            let name = pty.watch(|s| s.contains(STUDENT_NAME));
            if pty.wait_hit(name, WAIT).is_none() {
                pty.fail("the dashboard");
            }
        }
        pty
    }
}

fn launch(env: &Env) -> Vec<Row> {
    let n = if env.quick { 5 } else { 15 };
    let (mut to_events, mut to_name) = (Vec::new(), Vec::new());
    let mut fallback = false;
    // One unmeasured run warms the page cache.
    env.populated().quit();
    for _ in 0..n {
        env.server.set_latency(Duration::ZERO);
        let t0 = Instant::now();
        let pty = env.spawn();
        let name = pty.watch(|s| s.contains(STUDENT_NAME));
        let events = pty.watch(marker_any(env.names.clone()));
        let t_name = pty
            .wait_hit(name, WAIT)
            .unwrap_or_else(|| pty.fail("the name"));
        let t_events = if env.names.is_empty() {
            None
        } else {
            pty.wait_hit(events, Duration::from_secs(3))
        };
        to_name.push(ms(t_name - t0));
        match t_events {
            Some(t) => to_events.push(ms(t - t0)),
            None => {
                fallback = true;
                to_events.push(ms(t_name - t0));
            }
        }
        pty.quit();
    }
    vec![
        Row::from(
            "launch -> populated dashboard",
            "ms",
            150.0,
            &to_events,
            if fallback {
                "(no event name on screen: measured to the header's name)".into()
            } else {
                "(spawn to first event name of this week on screen)".into()
            },
        ),
        Row::from(
            "launch -> user name in header",
            "ms",
            150.0,
            &to_name,
            "(spawn to the user record drawn)".into(),
        ),
    ]
}

fn profile_depth(env: &Env) -> Vec<Row> {
    let n = if env.quick { 3 } else { 7 };
    let latency = Duration::from_millis(100);
    let (mut depths, mut times) = (Vec::new(), Vec::new());
    let mut shown = false;
    let mut wave_sizes = String::new();
    for _ in 0..n {
        env.server.set_latency(latency);
        env.server.clear_request_log();
        let pty = env.spawn();
        let name = pty.watch(|s| s.contains(STUDENT_NAME));
        if pty.wait_hit(name, WAIT).is_none() {
            pty.fail("the name");
        }
        let log = wait_log_quiet(&env.server, Duration::from_millis(600), WAIT);
        pty.quit();
        env.server.set_latency(Duration::ZERO);
        let api: Vec<LoggedRequest> = log
            .into_iter()
            .filter(|r| r.path_and_query.starts_with("/api/"))
            .collect();
        let level = waves(&api);
        let first = api.iter().map(|r| r.started).min().expect("no requests");
        let depth = api
            .iter()
            .zip(&level)
            .filter(|(r, _)| is_profile(r))
            .map(|(_, l)| *l)
            .max()
            .unwrap_or(0);
        let last = api
            .iter()
            .filter(|r| is_profile(r))
            .map(|r| r.finished)
            .max()
            .unwrap_or(first);
        depths.push(depth as f64);
        times.push(ms(last - first));
        let mut sizes = vec![0usize; depth.max(1)];
        for (r, l) in api.iter().zip(&level) {
            if is_profile(r) {
                sizes[l - 1] += 1;
            }
        }
        wave_sizes = format!("{sizes:?}");
        if !shown {
            shown = true;
            println!("  request waves at 100 ms latency (wave: request):");
            let mut rows: Vec<(usize, &LoggedRequest)> = level.iter().copied().zip(&api).collect();
            rows.sort_by_key(|(l, r)| (*l, r.started));
            for (l, r) in rows {
                println!(
                    "    {l}: {} {}  (+{:.0}..+{:.0} ms)",
                    r.method,
                    r.path_and_query,
                    ms(r.started - first),
                    ms(r.finished - first)
                );
            }
        }
    }
    let only_user = wave_sizes == "[1]";
    vec![
        Row::from(
            "round trips to populated profile",
            "",
            2.0,
            &depths,
            format!(
                "(profile requests per wave {wave_sizes}{})",
                if only_user {
                    "; only the user record: the related wave is not wired yet"
                } else {
                    ""
                }
            ),
        ),
        Row::from(
            "profile populated @100ms latency",
            "ms",
            250.0,
            &times,
            "(first request start to last profile answer, server log)".into(),
        ),
    ]
}

fn key_latency(env: &Env) -> Vec<Row> {
    let presses = if env.quick { 8 } else { 20 };
    let mut pty = env.populated();
    pty.wait_quiet(Duration::from_millis(300), Duration::from_secs(5));
    env.server.set_latency(Duration::from_secs(2));
    env.server.clear_request_log();
    let mut samples = Vec::new();
    for _ in 0..presses {
        pty.send("r");
        pty.wait_quiet(Duration::from_millis(30), Duration::from_secs(1));
        let open = pty.watch(|s| s.contains(HELP_MARKER));
        let t = pty.send("?");
        let hit = pty
            .wait_hit(open, Duration::from_secs(5))
            .unwrap_or_else(|| pty.fail("the help overlay"));
        samples.push(ms(hit - t));
        let closed = pty.watch(|s| !s.contains(HELP_MARKER));
        pty.send("\x1b");
        if pty.wait_hit(closed, Duration::from_secs(5)).is_none() {
            pty.fail("the help overlay to close");
        }
        pty.wait_quiet(Duration::from_millis(30), Duration::from_secs(1));
    }
    // The refreshes answer 2 s later; each should be in the log as one request.
    let log = wait_log_quiet(
        &env.server,
        Duration::from_millis(2500),
        Duration::from_secs(10),
    );
    env.server.set_latency(Duration::ZERO);
    pty.quit();
    let refreshes = log.iter().filter(|r| is_week(r)).count();
    vec![Row::from(
        "key -> screen, request in flight",
        "ms",
        16.0,
        &samples,
        format!("(`?` opens help while `r` waits 2 s; {refreshes} refresh requests sent)"),
    )]
}

fn idle_output(env: &Env) -> Vec<Row> {
    let pty = env.populated();
    pty.wait_quiet(Duration::from_secs(1), Duration::from_secs(10));
    let b0 = pty.bytes();
    std::thread::sleep(Duration::from_secs(10));
    let b1 = pty.bytes();
    pty.quit();
    vec![Row::from(
        "bytes written in 10 idle seconds",
        "B",
        0.0,
        &[(b1 - b0) as f64],
        "(after the dashboard settled for 1 s)".into(),
    )]
}

fn peak_rss(env: &Env) -> Vec<Row> {
    let mut rows = rss_with(env, 1000);
    // The same with the seeded week only, to show what the 1,000 events cost.
    let base = rss_with(env, 0);
    rows.push(Row {
        name: "peak RSS (VmHWM), seeded week",
        target: f64::INFINITY,
        note: "(for comparison: no generated events)".into(),
        ..base.into_iter().next().unwrap()
    });
    rows
}

fn rss_with(env: &Env, events: usize) -> Vec<Row> {
    let n = if env.quick { 1 } else { 3 };
    let server = env
        .rt
        .block_on(DemoServer::start(DemoOptions {
            events_per_week: events,
            ..DemoOptions::default()
        }))
        .expect("demo server");
    let token = server.token_for(Persona::Student);
    let (mut hwm, mut rss) = (Vec::new(), Vec::new());
    let mut events_seen = true;
    for _ in 0..n {
        server.clear_request_log();
        let pty = spawn(&server.url(), &token);
        let name = pty.watch(|s| s.contains(STUDENT_NAME));
        let generated = pty.watch(|s| s.contains("Generated Session"));
        if pty.wait_hit(name, WAIT).is_none() {
            pty.fail("the name");
        }
        // Wait for the week's answer to be in, then for the screen to settle.
        let start = Instant::now();
        while !server.request_log().iter().any(is_week) && start.elapsed() < WAIT {
            std::thread::sleep(Duration::from_millis(20));
        }
        wait_log_quiet(&server, Duration::from_millis(500), WAIT);
        pty.wait_quiet(Duration::from_millis(500), Duration::from_secs(5));
        events_seen &= pty.hit(generated).is_some();
        let status = std::fs::read_to_string(format!("/proc/{}/status", pty.pid().expect("pid")))
            .expect("/proc/<pid>/status");
        let kib = |key: &str| -> f64 {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        hwm.push(kib("VmHWM:") / 1024.0);
        rss.push(kib("VmRSS:") / 1024.0);
        pty.quit();
    }
    let note = if events_seen {
        "(1,000-event week drawn, both neighbours (1,000 each) prefetched)"
    } else {
        "(1,000-event week and neighbours loaded; no generated event on screen)"
    };
    vec![
        Row::from(
            "peak RSS (VmHWM), 1,000 x 3 weeks",
            "MiB",
            20.0,
            &hwm,
            note.into(),
        ),
        // The target is on the peak (VmHWM); what stays resident after the drawing is shown
        // beside it.
        Row::from(
            "RSS (VmRSS), 1,000 x 3 weeks",
            "MiB",
            f64::INFINITY,
            &rss,
            note.into(),
        ),
    ]
}

/// The latency of a real, slow Ilios for the cache and prefetch figures.
const SLOW: Duration = Duration::from_millis(800);

/// The week the app opens on (Sunday weeks), by the server's clock (the system's, as the app's).
fn this_week(server: &DemoServer) -> Week {
    Week::containing(server.clock().today(), WeekStart::Sunday)
}

/// A week's events on screen in the Week at a Glance: its title, and no "Loading".
fn week_shown(week: Week) -> impl Fn(&str) -> bool + Send + 'static {
    let title = week.title();
    move |s: &str| s.contains(&title) && !s.contains("Loading Events")
}

/// Second launch at 800 ms latency: spawn to the last-known dashboard (an event name of this week
/// and the "as of" mark) on screen, and whether any answer had arrived by then.
fn cached_launch(env: &Env) -> Vec<Row> {
    let n = if env.quick { 5 } else { 15 };
    let home = tempfile::tempdir().expect("tempdir");
    env.server.set_latency(Duration::ZERO);
    // The first launch keeps the Dashboard's weeks and My Profile.
    let pty = spawn_in(&env.server.url(), &env.token, home.path());
    let names = pty.watch(marker_any(env.names.clone()));
    if pty.wait_hit(names, WAIT).is_none() {
        pty.fail("the first launch's dashboard");
    }
    pty.wait_quiet(Duration::from_millis(500), Duration::from_secs(5));
    pty.quit();
    env.server.set_latency(SLOW);
    let (mut samples, mut answered_before) = (Vec::new(), 0);
    for _ in 0..n {
        env.server.clear_request_log();
        let t0 = Instant::now();
        let pty = spawn_in(&env.server.url(), &env.token, home.path());
        let names = marker_any(env.names.clone());
        let kept = pty.watch(move |s| s.contains("as of ") && names(s));
        let hit = pty
            .wait_hit(kept, WAIT)
            .unwrap_or_else(|| pty.fail("the last-known dashboard"));
        samples.push(ms(hit - t0));
        answered_before += env
            .server
            .request_log()
            .iter()
            .filter(|r| r.finished <= hit)
            .count();
        pty.quit();
    }
    env.server.set_latency(Duration::ZERO);
    vec![Row::from(
        "2nd launch -> last-known dashboard",
        "ms",
        150.0,
        &samples,
        format!("(800 ms latency; {answered_before} answers arrived before it in {n} launches)"),
    )]
}

/// At 800 ms latency, in the Week at a Glance: h (then l) from a loaded week, each once the
/// neighbours of the week shown have arrived, to the adjacent week's events on screen.
fn adjacent_weeks(env: &Env) -> Vec<Row> {
    let n = if env.quick { 3 } else { 6 };
    env.server.set_latency(SLOW);
    let mut pty = env.spawn();
    let name = pty.watch(|s| s.contains(STUDENT_NAME));
    if pty.wait_hit(name, WAIT).is_none() {
        pty.fail("the name");
    }
    pty.send("2");
    let mut week = this_week(&env.server);
    let (mut back, mut ahead) = (Vec::new(), Vec::new());
    let settle = |pty: &Pty| {
        // The week shown and its prefetched neighbours have all answered.
        wait_log_quiet(&env.server, SLOW + Duration::from_millis(300), WAIT);
        pty.wait_quiet(Duration::from_millis(100), Duration::from_secs(3));
    };
    settle(&pty);
    for (key, samples) in [("h", &mut back), ("l", &mut ahead)] {
        for _ in 0..n {
            week = if key == "h" {
                week.previous()
            } else {
                week.next()
            };
            let shown = pty.watch(week_shown(week));
            let t = pty.send(key);
            let hit = pty
                .wait_hit(shown, WAIT)
                .unwrap_or_else(|| pty.fail("the adjacent week"));
            samples.push(ms(hit - t));
            settle(&pty);
        }
    }
    env.server.set_latency(Duration::ZERO);
    pty.quit();
    let both: Vec<f64> = back.iter().chain(&ahead).copied().collect();
    vec![Row::from(
        "h/l -> adjacent week's events",
        "ms",
        100.0,
        &both,
        format!("(800 ms latency; {n} h then {n} l, each after the neighbours arrived)"),
    )]
}

fn week_cache(env: &Env) -> Vec<Row> {
    env.server.set_latency(Duration::ZERO);
    env.server.clear_request_log();
    let mut pty = env.populated();
    let base = wait_log_quiet(&env.server, Duration::from_millis(500), WAIT).len();
    for k in ["2", "l", "h", "l", "h"] {
        pty.send(k);
        pty.wait_quiet(Duration::from_millis(150), Duration::from_secs(3));
        wait_log_quiet(
            &env.server,
            Duration::from_millis(150),
            Duration::from_secs(5),
        );
    }
    let log = wait_log_quiet(&env.server, Duration::from_millis(500), WAIT);
    pty.quit();
    let mut per_week: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in log.iter().filter(|r| is_week(r)) {
        *per_week.entry(r.path_and_query.as_str()).or_default() += 1;
    }
    let max_per_week = per_week.values().copied().max().unwrap_or(0);
    let after = &log[base.min(log.len())..];
    let profile_refetch = after.iter().filter(|r| is_profile(r)).count();
    let user_requests = log.iter().filter(|r| is_user(r)).count();
    vec![
        Row::from(
            "week fetches per week (2 l h l h)",
            "",
            1.0,
            &[max_per_week as f64],
            format!("({} weeks fetched, {} requests)", per_week.len(), {
                per_week.values().sum::<usize>()
            }),
        ),
        Row::from(
            "profile refetches on week change",
            "",
            0.0,
            &[profile_refetch as f64],
            format!("({user_requests} users/ request(s) in the whole run)"),
        ),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes `--bench`; without it (`cargo test --all-targets`) do nothing, so the
    // test suite never runs these minute-long measurements.
    if !args.iter().any(|a| a == "--bench") {
        println!("tui bench: run with `cargo bench --bench tui`; nothing to do in test mode");
        return;
    }
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var("BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    let filter: Option<String> = args.iter().skip(1).find(|a| !a.starts_with("--")).cloned();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt
        .block_on(DemoServer::start(DemoOptions::default()))
        .expect("demo server");
    let token = server.token_for(Persona::Student);
    let names = this_week_names(&rt, &server);
    let env = Env {
        rt,
        server,
        token,
        names,
        quick,
    };

    println!(
        "ilios-tui end-to-end benchmarks{} — {BIN}",
        if quick { " (quick)" } else { "" }
    );
    println!(
        "{} cores; pty {COLS}x{ROWS}; {} event names of this week as markers",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        env.names.len()
    );
    println!(
        "{:<34} {:>7} {:<4} {:<20} {:<12} {:<4}",
        "measurement", "median", "unit", "(min..max, n)", "target", "result"
    );
    type Bench = fn(&Env) -> Vec<Row>;
    let benches: [(&str, Bench); 8] = [
        ("launch", launch),
        ("cached", cached_launch),
        ("adjacent", adjacent_weeks),
        ("profile", profile_depth),
        ("keys", key_latency),
        ("idle", idle_output),
        ("rss", peak_rss),
        ("weeks", week_cache),
    ];
    let mut all = Vec::new();
    for (name, f) in benches {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        for row in f(&env) {
            row.print();
            all.push(row);
        }
    }
    let failed = all.iter().filter(|r| !r.pass()).count();
    println!(
        "{} of {} figures within target{}",
        all.len() - failed,
        all.len(),
        if failed > 0 { " (see FAIL above)" } else { "" }
    );
}
