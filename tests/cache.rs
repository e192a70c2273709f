//! The last-known answers kept on disk (`ilios_tui::cache`) and the prefetch of the weeks next
//! to the one shown: the release of both through `update` (pure), and the built binary in a pty
//! against the embedded server made slow with its latency option.
//!
//! A launch against a server that delays every answer by 10 s can only draw answers it kept: what
//! is on screen before then came from the disk.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ilios_tui::api::{Client, ClientOptions, Token};
use ilios_tui::app::state::*;
use ilios_tui::app::{Action, Answer, Effect, Stamp, update};
use ilios_tui::config::TokenSource;
use ilios_tui::demo::{DemoServer, Persona};
use ilios_tui::domain::Loadable;
use ilios_tui::domain::week::{Week, WeekStart};

use common::Pty;

const SLOW: Duration = Duration::from_secs(10);
const STUDENT: &str = "Walter Stephanie Powell";

/// A private home (XDG dirs included) and the embedded server, on the test clock.
struct World {
    rt: tokio::runtime::Runtime,
    server: DemoServer,
    _dir: tempfile::TempDir,
    home: Vec<(String, String)>,
}

impl World {
    fn new() -> World {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt
            .block_on(DemoServer::start(common::demo_options()))
            .unwrap();
        let (dir, home) = common::private_home();
        World {
            rt,
            server,
            _dir: dir,
            home,
        }
    }

    fn env(&self, key: &str) -> PathBuf {
        let value = self.home.iter().find(|(k, _)| k == key).unwrap();
        PathBuf::from(&value.1)
    }

    /// `$XDG_CACHE_HOME/ilios-tui`.
    fn cache_root(&self) -> PathBuf {
        self.env("XDG_CACHE_HOME").join("ilios-tui")
    }

    fn write_config(&self, text: &str) {
        let dir = self.env("XDG_CONFIG_HOME").join("ilios-tui");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), text).unwrap();
    }

    fn launch(&self, persona: Persona, extra: &[&str]) -> Pty {
        let token = self.server.token_for(persona);
        let url = self.server.url();
        let mut env: Vec<(&str, &str)> = self
            .home
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        env.push(("ILIOS_TOKEN", &token));
        let mut args = vec!["--url", url.as_str()];
        args.extend_from_slice(extra);
        Pty::spawn(&args, &env, 100, 30)
    }

    /// Launches, waits for the kept files of the fresh answers (both Dashboard weeks and My
    /// Profile), quits.
    fn populate(&self, persona: Persona) {
        self.populate_at(persona, &[]);
    }

    /// [`World::populate`] with more arguments (`--now`); the server's log is empty after it.
    fn populate_at(&self, persona: Persona, extra: &[&str]) {
        let pty = self.launch(persona, extra);
        let files = |root: &Path| kept_files(root).len();
        wait_until(|| files(&self.cache_root()) >= 3, "three kept files");
        pty.quit();
        self.server.clear_request_log();
    }

    /// The first event of this week for `persona`, from the server.
    fn first_event_name(&self, persona: Persona) -> String {
        let clock = common::test_clock();
        let week = Week::containing(clock.today(), WeekStart::Sunday);
        let (from, to) = week.unix_range(&clock.zone());
        let client = Client::new(&self.server.url(), ClientOptions::default())
            .unwrap()
            .with_token(Token::new(self.server.token_for(persona)));
        let events = self
            .rt
            .block_on(client.user_events(persona.user_id(), from, to))
            .unwrap();
        let first = events.iter().min_by_key(|e| e.start_date).expect("events");
        first.name.chars().take(14).collect()
    }

    fn headless(&self, args: &[&str], persona: Persona) -> std::process::Output {
        let mut cmd = common::command();
        cmd.args(["--url", &self.server.url()])
            .args(args)
            .env_remove("ILIOS_URL")
            .env("ILIOS_TOKEN", self.server.token_for(persona))
            .stdin(std::process::Stdio::null());
        for (k, v) in &self.home {
            cmd.env(k, v);
        }
        let _guard = self.rt.enter();
        cmd.output().unwrap()
    }
}

fn kept_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(servers) = std::fs::read_dir(root) else {
        return out;
    };
    for server in servers.flatten() {
        for user in std::fs::read_dir(server.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            for file in std::fs::read_dir(user.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if !file.file_name().to_string_lossy().starts_with(".tmp") {
                    out.push(file.path());
                }
            }
        }
    }
    out
}

fn wait_until(pred: impl Fn() -> bool, what: &str) {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if pred() {
            return;
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    panic!("timed out waiting for {what}");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_second_launch_draws_the_last_known_dashboard_before_any_answer() {
    let world = World::new();
    let first = world.first_event_name(Persona::Student);
    world.populate(Persona::Student);

    world.server.set_latency(SLOW);
    let pty = world.launch(Persona::Student, &[]);
    // Nothing can have come from the server yet: the week, the name and the mark are the disk's.
    pty.wait_for("as of 10:00 AM");
    pty.wait_for(&first);
    pty.wait_for(STUDENT);
    assert!(
        world.server.request_log().is_empty(),
        "an answer arrived already"
    );
    // Fresh answers replace them, and the mark goes.
    world.server.set_latency(Duration::ZERO);
    pty.wait_until(|s| !s.contains("as of"), "the mark gone");
    pty.wait_for(&first);
    pty.quit();
}

#[cfg(unix)]
#[test]
fn kept_files_are_private_hold_no_token_and_are_named_by_hash() {
    let world = World::new();
    world.populate(Persona::Student);
    let token = world.server.token_for(Persona::Student);
    let signature = token.rsplit('.').next().unwrap();
    let root = world.cache_root();
    let files = kept_files(&root);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"profile.json".to_string()), "{names:?}");
    assert!(
        names.contains(&"week-2027-02-14.json".to_string()),
        "{names:?}"
    );
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            !text.contains(signature),
            "the token is in {}",
            file.display()
        );
        // Every folder from the cache root down is the user's alone, and says nothing of the
        // server or the user.
        let mut folder = file.parent().unwrap();
        while folder.starts_with(&root) {
            assert_eq!(mode(folder), 0o700, "{}", folder.display());
            let name = folder.file_name().unwrap().to_string_lossy();
            assert!(
                name == "ilios-tui"
                    || (name.len() == 32 && name.chars().all(|c| c.is_ascii_hexdigit())),
                "{name}"
            );
            folder = folder.parent().unwrap();
        }
    }
}

#[test]
fn another_user_of_the_same_server_never_sees_them() {
    let world = World::new();
    world.populate(Persona::Student);
    world.server.set_latency(SLOW);
    let pty = world.launch(Persona::Nicholas, &[]);
    pty.wait_for("Loading");
    pty.wait_quiet(Duration::from_millis(700), Duration::from_secs(5));
    let screen = pty.contents();
    assert!(!screen.contains("as of"), "{screen}");
    assert!(!screen.contains(STUDENT), "{screen}");
    assert!(
        !screen.contains(&world.first_event_name(Persona::Student)),
        "{screen}"
    );
    pty.quit();
}

#[test]
fn answers_older_than_the_maximum_age_are_neither_shown_nor_kept() {
    let world = World::new();
    world.write_config("cache_max_age_days = 1\n");
    // Kept on Monday; shown on Wednesday of the same week (the token still valid both days).
    world.populate_at(Persona::Student, &["--now", "2027-02-15T10:00:00-08:00"]);
    world.server.set_latency(SLOW);
    let pty = world.launch(Persona::Student, &[]);
    pty.wait_for("Loading");
    pty.wait_quiet(Duration::from_millis(700), Duration::from_secs(5));
    let screen = pty.contents();
    assert!(!screen.contains("as of"), "{screen}");
    assert!(!screen.contains(STUDENT), "{screen}");
    wait_until(
        || kept_files(&world.cache_root()).is_empty(),
        "stale files removed",
    );
    pty.quit();
}

#[test]
fn cache_false_keeps_nothing() {
    let world = World::new();
    world.write_config("cache = false\n");
    let pty = world.launch(Persona::Student, &[]);
    pty.wait_for(STUDENT);
    pty.wait_for(&world.first_event_name(Persona::Student));
    pty.wait_quiet(Duration::from_millis(500), Duration::from_secs(5));
    pty.quit();
    assert!(!world.cache_root().exists());
}

#[test]
fn logout_and_invalidation_remove_everything_kept() {
    let world = World::new();
    // Logout in the full-screen view: the user menu's last item.
    world.populate(Persona::Student);
    let mut pty = world.launch(Persona::Student, &[]);
    pty.wait_for(STUDENT);
    pty.send("u");
    pty.send("\x1b[A");
    pty.send("\r");
    pty.wait_for("You have logged out.");
    wait_until(
        || kept_files(&world.cache_root()).is_empty(),
        "logout to clear the cache",
    );
    pty.quit();

    // `ilios-tui logout`.
    world.populate(Persona::Student);
    let out = world.headless(&["logout"], Persona::Student);
    assert!(out.status.success(), "{out:?}");
    assert!(kept_files(&world.cache_root()).is_empty());

    // `ilios-tui token invalidate --yes` (last: the old token dies).
    world.populate(Persona::Student);
    let out = world.headless(&["token", "invalidate", "--yes"], Persona::Student);
    assert!(out.status.success(), "{out:?}");
    assert!(kept_files(&world.cache_root()).is_empty());
}

#[test]
fn headless_week_reads_the_kept_answer_only_with_cached() {
    let world = World::new();
    world.populate(Persona::Student);
    let first = world.first_event_name(Persona::Student);
    world.server.clear_request_log();
    let out = world.headless(&["week", "--cached"], Persona::Student);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&first));
    assert!(String::from_utf8_lossy(&out.stderr).contains("As of 2027-02-17 10:00"));
    let asked = |log: &[ilios_tui::demo::LoggedRequest]| {
        log.iter()
            .filter(|r| r.path_and_query.contains("userevents"))
            .count()
    };
    assert_eq!(
        asked(&world.server.request_log()),
        0,
        "--cached asked the server"
    );
    // Without it: the server, always.
    let out = world.headless(&["week"], Persona::Student);
    assert!(out.status.success(), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("As of"));
    assert_eq!(asked(&world.server.request_log()), 1);
}

#[test]
fn h_and_l_show_prefetched_weeks_without_a_request() {
    let world = World::new();
    let first = world.first_event_name(Persona::Student);
    world.server.clear_request_log();
    world.server.set_latency(Duration::from_millis(300));
    let mut pty = world.launch(Persona::Student, &[]);
    pty.wait_for(STUDENT);
    pty.send("2");
    pty.wait_for(&first);
    // This week, the next (Coming Up) and the one before: asked for once each.
    let weeks = || {
        world
            .server
            .request_log()
            .iter()
            .filter(|r| r.path_and_query.contains("userevents"))
            .count()
    };
    wait_until(|| weeks() == 3, "both neighbours answered");
    pty.wait_quiet(Duration::from_millis(400), Duration::from_secs(5));
    pty.send("h");
    pty.wait_for("February 7-13");
    assert!(
        !pty.contents().contains("Loading Events"),
        "{}",
        pty.contents()
    );
    pty.quit();
}

// ---------------------------------------------------------------------------------------------
// `update` alone: what is kept and what is dropped.

fn jwt(payload: &str) -> String {
    use base64::Engine;
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
    format!("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{b}.sig")
}

fn app() -> App {
    let clock = ilios_tui::clock::Clock::stopped_at(
        chrono::DateTime::parse_from_rfc3339(common::TEST_NOW)
            .unwrap()
            .to_utc(),
    )
    .in_zone(common::TEST_ZONE.parse().unwrap());
    let settings = Settings {
        week_start: WeekStart::Sunday,
        time_format: ilios_tui::domain::week::TimeFormat::H12,
        theme: ilios_tui::ui::Theme::default(),
        keymap: ilios_tui::app::keymap::Keymap::default(),
        config_path: None,
        clock,
    };
    let mut app = App::new(
        settings,
        "http://h/",
        "h",
        "http://h/api/doc",
        Now::read(&clock),
    );
    let token = Token::new(jwt(r#"{"exp":"4102444800","user_id":7}"#));
    let mut fx = Vec::new();
    ilios_tui::app::update::start_session(
        &mut app,
        Session::new(token, TokenSource::Env).unwrap(),
        &mut fx,
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::ReadCache)));
    app
}

fn stamp(app: &App) -> Stamp {
    Stamp {
        generation: app.generation,
        epoch: app.token_epoch,
    }
}

fn week_answer(app: &mut App, week: Week) -> Vec<Effect> {
    let seq = app.weeks[&week].seq;
    let stamp = stamp(app);
    update(
        app,
        Action::Answer {
            stamp,
            answer: Answer::Week {
                week,
                seq,
                result: Ok(vec![]),
            },
        },
    )
}

fn asked_weeks(fx: &[Effect]) -> Vec<Week> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadWeek { week, .. } => Some(*week),
            _ => None,
        })
        .collect()
}

fn key(c: char) -> Action {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn once_the_shown_week_arrives_its_neighbours_are_asked_for_once() {
    let mut app = app();
    let this = app.this_week;
    let fx = week_answer(&mut app, this);
    assert_eq!(asked_weeks(&fx), [this.previous(), this.next()]);
    // On the way: not asked again.
    update(&mut app, key('2'));
    assert!(asked_weeks(&update(&mut app, key('h'))).is_empty());
}

#[test]
fn a_prefetch_that_arrives_after_the_person_moved_on_is_dropped() {
    let mut app = app();
    update(&mut app, key('2'));
    // Three weeks ahead, each arriving: the week after is prefetched.
    for _ in 0..3 {
        update(&mut app, key('l'));
        let week = app.browse_week;
        week_answer(&mut app, week);
    }
    let ahead = app.browse_week.next();
    assert!(app.weeks[&ahead].prefetch && app.weeks[&ahead].in_flight);
    let seq = app.weeks[&ahead].seq;
    // Back to this week: that week is no one's neighbour any more.
    update(&mut app, key('t'));
    assert!(!app.weeks.contains_key(&ahead), "forgotten while in flight");
    let stamp = stamp(&app);
    update(
        &mut app,
        Action::Answer {
            stamp,
            answer: Answer::Week {
                week: ahead,
                seq,
                result: Ok(vec![]),
            },
        },
    );
    assert!(!app.weeks.contains_key(&ahead), "its answer was kept");
    // Three weeks ahead again (in memory): the week after is asked for again.
    let mut fx = Vec::new();
    for _ in 0..3 {
        fx.extend(update(&mut app, key('l')));
    }
    assert_eq!(asked_weeks(&fx), [ahead]);
}

#[test]
fn kept_answers_show_until_fresh_ones_and_never_for_another_session() {
    let mut app = app();
    let this = app.this_week;
    let kept = |app: &App| {
        let prepared = ilios_tui::app::week_answer::prepare(vec![], &app.now.zone, app.now.utc());
        Box::new(ilios_tui::app::action::CachedAnswers {
            weeks: vec![(this, app.now.utc(), prepared)],
            profile: None,
        })
    };
    // An older session's kept answers (another user signed in since) are dropped.
    let old = Stamp {
        generation: app.generation - 1,
        epoch: 0,
    };
    let answer = Answer::Cached(kept(&app));
    update(&mut app, Action::Answer { stamp: old, answer });
    assert!(app.weeks[&this].timeline.is_loading());
    // This session's: shown with the mark; no request of their own.
    let answer = Answer::Cached(kept(&app));
    let stamp = stamp(&app);
    let fx = update(&mut app, Action::Answer { stamp, answer });
    assert!(asked_weeks(&fx).is_empty());
    assert!(matches!(app.weeks[&this].timeline, Loadable::Ready(_)));
    assert_eq!(app.as_of_mark().as_deref(), Some("as of 10:00 AM"));
    // The fresh answer replaces them, and the mark goes.
    week_answer(&mut app, this);
    assert_eq!(app.as_of_mark(), None);
    // Kept answers arriving after the fresh ones change nothing.
    let answer = Answer::Cached(kept(&app));
    update(&mut app, Action::Answer { stamp, answer });
    assert_eq!(app.as_of_mark(), None);
}

#[test]
fn invalidating_tokens_forgets_what_was_kept() {
    let mut app = app();
    let token = Token::new(jwt(r#"{"exp":"4102444800","user_id":7,"iat":"2"}"#));
    let stamp = stamp(&app);
    let fx = update(
        &mut app,
        Action::Answer {
            stamp,
            answer: Answer::TokensInvalidated(Ok(token)),
        },
    );
    let names: Vec<String> = fx.iter().map(|e| format!("{e:?}")).collect();
    assert!(names.contains(&"ForgetCache(7)".to_string()), "{names:?}");
}

#[test]
fn a_prefetch_the_person_moved_onto_shows_its_failure() {
    let mut app = app();
    update(&mut app, key('2'));
    let this = app.this_week;
    week_answer(&mut app, this);
    // Next week is still on its way (a prefetch) when the person goes there.
    update(&mut app, key('l'));
    let next = this.next();
    let seq = app.weeks[&next].seq;
    let stamp = stamp(&app);
    update(
        &mut app,
        Action::Answer {
            stamp,
            answer: Answer::Week {
                week: next,
                seq,
                result: Err(ilios_tui::api::ApiError::BadRequest {
                    host: "h".into(),
                    message: "no".into(),
                }),
            },
        },
    );
    assert!(matches!(app.weeks[&next].glance, Loadable::Failed(_)));
    assert!(app.flash.is_some(), "the failure is said");
}
