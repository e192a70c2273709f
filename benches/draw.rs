//! Drawing benchmarks: the whole shell into a 120x40 `TestBackend`.
//!
//! The `App` is filled the way the real program fills it: a `DemoServer` with 1,000 generated
//! events this week, a student session started with `start_session`, and every effect run by the
//! real `Runner` with each answer fed back through `update` until nothing more arrives. So the
//! benchmark draws whatever the panes and the profile wave are at the time it runs.
//!
//! Also the Calendar's month view of that month (1,000 generated events a week), its week grid
//! of that week, and My Materials with 5,000 rows (made in the bench: the demo seeds a few
//! dozen).
//!
//! Target: at most 1 ms per frame (median) for the 1,000-event week, the full profile, the month
//! and the 5,000-row table.
//!
//! `cargo bench --bench draw`

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;

use ilios_tui::api::{Client, ClientOptions, Token};
use ilios_tui::app::keymap::Keymap;
use ilios_tui::app::runtime::Runner;
use ilios_tui::app::state::{App, Now, Pane, Session, Settings};
use ilios_tui::app::{Action, Effect, update};
use ilios_tui::config::TokenSource;
use ilios_tui::demo::{DemoOptions, DemoServer, Persona};
use ilios_tui::domain::week::{TimeFormat, WeekStart};
use ilios_tui::ui::Theme;

const COLS: u16 = 120;
const ROWS: u16 = 40;
const EVENTS: usize = 1000;

/// An `App` signed in as the student, with everything the start-up effects load.
fn loaded_app(rt: &tokio::runtime::Runtime) -> (App, DemoServer) {
    let server = rt
        .block_on(DemoServer::start(DemoOptions {
            events_per_week: EVENTS,
            ..DemoOptions::default()
        }))
        .expect("demo server");
    let url = server.url();
    let settings = Settings {
        week_start: WeekStart::Sunday,
        time_format: TimeFormat::H12,
        theme: Theme::default(),
        keymap: Keymap::default(),
        config_path: None,
        clock: server.clock(),
    };
    let now = Now::read(&settings.clock);
    let mut app = App::new(settings, &url, "127.0.0.1", &url, now);
    app.size = (COLS, ROWS);
    let token = Token::new(server.token_for(Persona::Student));
    let session = Session::new(token, TokenSource::Env).expect("session");
    let client = Client::new(&url, ClientOptions::default()).expect("client");
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let runner = Runner::new(client, false, tx);

    let _guard = rt.enter();
    let mut fx: Vec<Effect> = Vec::new();
    ilios_tui::app::update::start_session(&mut app, session, &mut fx);
    for e in fx {
        runner.run(&app, e);
    }
    // Feed every answer back until the app is quiet for a while.
    loop {
        let next = rt
            .block_on(async { tokio::time::timeout(Duration::from_millis(500), rx.recv()).await });
        match next {
            Ok(Some(action)) => {
                app.now = Now::read(&app.settings.clock);
                for e in update(&mut app, action) {
                    runner.run(&app, e);
                }
            }
            _ => break,
        }
    }
    let n = app
        .week(app.this_week)
        .ready()
        .map(|v| v.len())
        .unwrap_or(0);
    assert!(n >= EVENTS, "this week has {n} events, expected {EVENTS}+");
    assert!(app.user.ready().is_some(), "the user record did not load");
    (app, server)
}

const MATERIALS: usize = 5000;

/// The Calendar pane in its month view, with the month's answer applied through `update`.
fn load_month(rt: &tokio::runtime::Runtime, app: &mut App, server: &DemoServer) {
    press(rt, app, server, &['5', 'm']);
    let span = app.calendar.span(app.settings.week_start);
    let n = app.calendar.listed(span).ready().map_or(0, |e| e.len());
    assert!(
        n >= 4 * EVENTS,
        "the month has {n} events, expected over {}",
        4 * EVENTS
    );
}

/// The Calendar's week grid of the same week, its answer applied through `update`.
fn load_week_grid(rt: &tokio::runtime::Runtime, app: &mut App, server: &DemoServer) {
    press(rt, app, server, &['w']);
    let span = app.calendar.span(app.settings.week_start);
    let n = app.calendar.listed(span).ready().map_or(0, |e| e.len());
    assert!(
        n >= EVENTS,
        "the week has {n} events, expected over {EVENTS}"
    );
}

/// `keys` through `update`, every effect run by the real `Runner` until no answer is left.
fn press(rt: &tokio::runtime::Runtime, app: &mut App, server: &DemoServer, keys: &[char]) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let url = server.url();
    let token = Token::new(server.token_for(Persona::Student));
    let client = Client::new(&url, ClientOptions::default())
        .expect("client")
        .with_token(token);
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let runner = Runner::new(client, false, tx);
    let _guard = rt.enter();
    let key = |c| Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    for action in keys.iter().map(|c| key(*c)) {
        for e in update(app, action) {
            runner.run(app, e);
        }
    }
    while let Ok(Some(action)) =
        rt.block_on(async { tokio::time::timeout(Duration::from_secs(2), rx.recv()).await })
    {
        for e in update(app, action) {
            runner.run(app, e);
        }
    }
}

/// `n` materials as `usermaterials` sends them: titles, sessions, courses and dates that differ.
fn materials(app: &App, n: usize) -> Vec<ilios_tui::domain::materials::MaterialRow> {
    let wire: Vec<ilios_tui::api::models::UserMaterial> = (0..n)
        .map(|i| {
            serde_json::from_value(serde_json::json!({
                "id": (i + 1).to_string(),
                "sessionLearningMaterial": (i + 1).to_string(),
                "title": format!("Reading {i}: chapter {} of the course pack", i % 37),
                "session": (i % 200).to_string(),
                "sessionTitle": format!("Session {}", i % 200),
                "course": (i % 12).to_string(),
                "courseTitle": format!("Course {}", i % 12),
                "courseYear": 2027,
                "instructors": ["Larry West", "Ana Ruiz"],
                "firstOfferingDate": format!("2027-0{}-1{}T08:00:00+00:00", 1 + i % 9, i % 10),
                "mimetype": "application/pdf",
                "absoluteFileUri": format!("https://ilios.example.edu/lm/{i:064}"),
            }))
            .expect("a material")
        })
        .collect();
    ilios_tui::domain::materials::rows(&wire, &app.now.zone, app.now.utc())
}

fn bench_draw(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (mut app, server) = loaded_app(&rt);
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS)).expect("terminal");
    load_month(&rt, &mut app, &server);
    app.materials
        .loaded(ilios_tui::domain::Loadable::Ready(materials(
            &app, MATERIALS,
        )));

    let mut group = c.benchmark_group("draw_120x40");
    for (name, pane) in [
        ("dashboard_1000_events", Pane::Dashboard),
        ("week_1000_events", Pane::Week),
        ("profile", Pane::Profile),
        ("calendar_month_1000_events_a_week", Pane::Calendar),
        ("materials_5000_rows", Pane::Materials),
    ] {
        app.pane = pane;
        group.bench_function(name, |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| ilios_tui::ui::shell::draw(frame, &mut app))
                    .expect("draw");
            })
        });
    }
    load_week_grid(&rt, &mut app, &server);
    app.pane = Pane::Calendar;
    group.bench_function("calendar_week_grid_1000_events", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| ilios_tui::ui::shell::draw(frame, &mut app))
                .expect("draw");
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench_draw
}
criterion_main!(benches);
