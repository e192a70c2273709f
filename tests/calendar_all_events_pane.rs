//! The Calendar pane's All Events (`a`) against the embedded server: a school's events
//! (`GET /api/v3/schoolevents/{id}`, the primary school first), the school picker (`s`, only
//! with more than one school), the filters dialog (`f`) and its AND/OR rule, and the way back to
//! My Schedule clearing the filters, as the web client does (FE
//! `packages/ilios-common/addon/components/dashboard/calendar.gjs`, `calendar-filters.gjs`).

mod common;

use common::Pty;
use common::headless::Headless;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ilios_tui::app::Action;
use ilios_tui::app::dialogs::Dialog;
use ilios_tui::app::state::{App, Pane};
use ilios_tui::app::update::update;
use ilios_tui::demo::Persona;
use ilios_tui::domain::Loadable;
use ilios_tui::domain::calendar_filters::{CalendarSource, FilterKind};

fn loaded(app: &App) -> bool {
    let span = app.calendar.span(app.settings.week_start);
    app.calendar.listed(span).ready().is_some()
}

/// Signed in, on pane 5, then All Events of the primary school loaded.
async fn all_events(persona: Persona) -> Headless {
    let mut h = Headless::start_at(persona, common::stopped_test_clock()).await;
    h.until("the user", |a| a.user.ready().is_some()).await;
    h.char('5');
    assert_eq!(h.app.pane, Pane::Calendar);
    h.until("My Schedule", loaded).await;
    h.char('a');
    assert_eq!(h.app.calendar.source, CalendarSource::AllEvents);
    h.until("All Events", loaded).await;
    h.settle(std::time::Duration::from_millis(200)).await;
    h
}

fn screen(h: &mut Headless, (w, rows): (u16, u16)) -> String {
    h.snapshot_rows(w, rows)
}

fn snap(h: &mut Headless, name: &str, size: (u16, u16)) {
    let screen = screen(h, size);
    insta::assert_snapshot!(name, screen);
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A student's All Events: other courses' events, a TBD one as "Scheduled", no unpublished
/// ones; the header names the school.
#[tokio::test]
async fn a_students_all_events() {
    let mut h = all_events(Persona::Student).await;
    snap(&mut h, "student_all_events_week_80x24", (80, 24));
    snap(&mut h, "student_all_events_week_120x40", (120, 40));
    let s = screen(&mut h, (120, 40));
    assert!(
        s.contains("Week of February 14-20, 2027 · All Events · Medicine"),
        "{s}"
    );
    let names = h.calendar_listed();
    for what in ["Renal Physiology Lab", "Scheduled", "Pediatric Ward Week"] {
        assert!(names.iter().any(|n| n == what), "{what:?} not in {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("Nephrology")), "{names:?}");
    // The multi-day events are last (after the days' events); selected, one is written out.
    h.char('G');
    let s = screen(&mut h, (120, 40));
    let footer = s.lines().nth(38).unwrap();
    assert!(
        footer.starts_with("02/18/27, 09:00 AM – 02/19/27, 05:00 PM  Hospice Immersion"),
        "{s}"
    );
}

/// `s` picks the next school by title (four schools: Medicine → Nursing); My Schedule and
/// All Events are cached apart, so going back asks nothing.
#[tokio::test]
async fn school_picker_and_the_cache_per_source() {
    let mut h = all_events(Persona::Nicholas).await;
    h.char('s');
    h.until("Nursing", loaded).await;
    let s = screen(&mut h, (80, 24));
    assert!(s.contains("All Events · Nursing"), "{s}");
    let names = h.calendar_listed();
    assert!(!names.iter().any(|n| n.contains("Renal")), "{names:?}");
    // Back to My Schedule: cached.
    let back = update(&mut h.app, key('a'));
    assert!(back.is_empty(), "My Schedule is cached: {back:?}");
    assert!(screen(&mut h, (80, 24)).contains("· My Schedule"));
    // And All Events again shows the school picked last, also cached.
    let again = update(&mut h.app, key('a'));
    assert!(again.is_empty(), "{again:?}");
    assert!(screen(&mut h, (80, 24)).contains("All Events · Nursing"));
}

/// The keys of All Events under My Schedule say what they are for instead of doing nothing.
#[tokio::test]
async fn all_events_keys_under_my_schedule_say_so() {
    let mut h = all_events(Persona::Student).await;
    h.char('a');
    assert_eq!(h.app.calendar.source, CalendarSource::MySchedule);
    for (k, what) in [('f', "Filters"), ('s', "Schools")] {
        update(&mut h.app, key(k));
        assert!(h.app.dialog.is_none());
        let flash = h.app.flash.as_ref().map(|f| f.text.clone());
        assert_eq!(
            flash.as_deref(),
            Some(format!("{what} are for All Events: a shows them.").as_str())
        );
    }
}

/// `f`: the five kinds as checkable lists; a check filters at once (OR within a kind, AND
/// across); `a` back to My Schedule clears them.
#[tokio::test]
async fn the_filters_dialog() {
    let mut h = all_events(Persona::Nicholas).await;
    h.char('f');
    h.until("the filter lists", |a| {
        matches!(&a.dialog, Some(Dialog::CalendarFilters(d)) if !matches!(d.options, Loadable::Loading))
    })
    .await;
    snap(&mut h, "nicholas_filters_session_types_80x24", (80, 24));
    // Session Types, sorted by title: Clinical Experience, Clinical Skills, Faculty
    // Development, Independent Learning, Lecture, ... — check Lecture.
    for _ in 0..4 {
        h.char('j');
    }
    h.char(' ');
    assert!(
        h.app
            .calendar
            .filters
            .is_checked(FilterKind::SessionType, 1)
    );
    // Tab to Course Levels, check level 1.
    h.key(KeyCode::Tab);
    h.char(' ');
    assert!(
        h.app
            .calendar
            .filters
            .is_checked(FilterKind::CourseLevel, 1)
    );
    snap(&mut h, "nicholas_filters_levels_120x40", (120, 40));
    h.key(KeyCode::Esc);
    assert!(h.app.dialog.is_none());
    let s = screen(&mut h, (120, 40));
    assert!(s.contains("All Events · Medicine · 2 filters"), "{s}");
    let names = h.calendar_listed();
    let has = |what: &str| names.iter().any(|n| n == what);
    assert!(has("Renal Physiology: Glomerular Filtration"), "{names:?}");
    assert!(!has("Renal Physiology Lab"), "a small group: {names:?}");
    assert!(
        !has("Cutting Edge Geroscience"),
        "a level 2 course: {names:?}"
    );
    // Back to My Schedule clears the filters.
    h.char('a');
    assert!(h.app.calendar.filters.is_empty());
    h.char('a');
    assert!(
        h.calendar_listed()
            .iter()
            .any(|n| n == "Renal Physiology Lab")
    );
}

/// In a real terminal: `5`, `a` All Events, `f` the filters, Esc, `a` back; `q` leaves with 0.
#[test]
fn pty_flow_all_events_and_filters() {
    let (_home, env) = common::private_home();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = Pty::spawn(&["--demo"], &env, 80, 24);
    pty.wait_for("Nicholas A. Gutierrez");
    pty.send("5");
    pty.wait_for("Week of February 14-20, 2027 · My Schedule");
    pty.send("a");
    pty.wait_for("All Events · Medicine");
    // The day view writes each event out: Tuesday's first is another course's lecture.
    pty.send("dh");
    pty.wait_for("Tuesday, February 16, 2027 · All Events · Medicine");
    pty.wait_for("08:00 AM – 08:50 AM Renal Physiology: Glomerular Filtration");
    pty.send("f");
    pty.wait_for("Filters (All Events)");
    pty.wait_for("Clinical Experience");
    pty.send("\x1b");
    // Apart from the Esc, so the terminal does not read the two as Alt-a.
    std::thread::sleep(std::time::Duration::from_millis(300));
    pty.send("a");
    pty.wait_for("· My Schedule");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
}
