//! The Calendar pane (`5`, My Schedule) against the embedded server: the three views drawn at
//! 80x24 and 120x40, the range cache and its answers, and the flow in a real terminal.
//! The rules are the web client's (FE `components/dashboard/calendar.gjs`,
//! `ilios-calendar-week.gjs`, `ilios-calendar-month.gjs`; `shared/reference/ilios-dashboard.md`
//! §4) as `domain::calendar` computes them.

mod common;

use chrono::NaiveDate;
use common::Pty;
use common::headless::Headless;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ilios_tui::app::Action;
use ilios_tui::app::state::{App, Pane};
use ilios_tui::app::update::update;
use ilios_tui::demo::Persona;
use ilios_tui::domain::calendar::{CalendarView, Span};

fn span_shown(app: &App) -> Span {
    app.calendar.span(app.settings.week_start)
}

fn loaded(app: &App, span: Span) -> bool {
    app.calendar.listed(span).ready().is_some()
}

/// Signed in, on pane 5, its week loaded.
async fn calendar(persona: Persona) -> Headless {
    let mut h = Headless::start_at(persona, common::stopped_test_clock()).await;
    h.until("the user", |a| a.user.ready().is_some()).await;
    h.char('5');
    assert_eq!(h.app.pane, Pane::Calendar);
    h.until("the calendar's week", |a| loaded(a, span_shown(a)))
        .await;
    h.settle(std::time::Duration::from_millis(200)).await;
    h
}

/// Keys the pane's week or month and waits for it.
async fn press(h: &mut Headless, c: char) {
    h.char(c);
    h.until("the calendar's range", |a| loaded(a, span_shown(a)))
        .await;
}

fn screen(h: &mut Headless, (w, rows): (u16, u16)) -> String {
    h.snapshot_rows(w, rows)
}

fn snap(h: &mut Headless, name: &str, size: (u16, u16)) {
    let screen = screen(h, size);
    insta::assert_snapshot!(name, screen);
}

/// Week view (Ilios's default) as a time grid: a column a day, two rows an hour, each event a
/// block from its start to its end (FE `weekly-calendar.gjs`, `weekly-calendar-event.gjs`),
/// opened at the earliest hour of the week (8 AM here: `scrollView`). The selected event is
/// written out under it with its marks as words (`ilios-calendar-event-month.gjs` draws its
/// icons first); the multi-day one is counted apart and comes last.
#[tokio::test]
async fn week_view_of_nicholas() {
    let mut h = calendar(Persona::Nicholas).await;
    snap(&mut h, "nicholas_week_80x24", (80, 24));
    snap(&mut h, "nicholas_week_120x40", (120, 40));
    let s = screen(&mut h, (80, 24));
    let rows: Vec<&str> = s.lines().collect();
    assert!(rows[3].starts_with("      Sun 14    Mon 15"), "{s}");
    // The 120x40 grid could not start at 8 AM (it would run past midnight); the 80x24 one
    // comes back to it.
    assert!(rows[4].starts_with(" 8 AM│         │▎8:10a"), "{s}");
    assert!(s.contains("Multiday Events: 1"), "{s}");
    // j walks the events in order; each is written out in full under the grid.
    let mut written = Vec::new();
    for _ in 0..h.calendar_listed().len() {
        h.char('j');
        let s = screen(&mut h, (120, 40));
        written.push(s.lines().nth(38).unwrap_or_default().trim_end().to_string());
    }
    for what in [
        "Wed Feb 17  03:00 PM – 04:00 PM  [Not Published] Palliative Pharmacology",
        "Fri Feb 19  12:00 PM – 01:00 PM  [Scheduled] Geriatrics Grand Rounds",
        "Wed Feb 17  01:00 PM – 03:00 PM  [Has pre-work] Advance Care Planning Workshop",
        "02/18/27, 09:00 AM – 02/19/27, 05:00 PM  Hospice Immersion Experience",
    ] {
        assert!(
            written.iter().any(|l| l.starts_with(what)),
            "{what:?} is not written out: {written:#?}"
        );
    }
    assert!(
        written
            .last()
            .unwrap()
            .contains("Hospice Immersion Experience")
    );
}

/// Rows scroll by the hour (`J`/`K`) and by the page; the selection brings its block into view;
/// another week opens at its own earliest hour again.
#[tokio::test]
async fn the_week_grid_scrolls_by_hour_and_follows_the_selection() {
    let mut h = calendar(Persona::Nicholas).await;
    let first_hour =
        |h: &mut Headless| screen(h, (80, 24)).lines().nth(4).unwrap()[..5].to_string();
    assert_eq!(first_hour(&mut h), " 8 AM");
    h.char('K');
    assert_eq!(first_hour(&mut h), " 7 AM");
    h.char('J');
    h.char('J');
    assert_eq!(first_hour(&mut h), " 9 AM");
    h.key(KeyCode::PageDown);
    assert_eq!(
        h.app.calendar.scroll.offset,
        48 - 17,
        "a page is the 17 rows shown, up to the day's last page"
    );
    let s = screen(&mut h, (80, 24));
    assert!(s.lines().nth(19).unwrap().starts_with("11 PM│"), "{s}");
    // Friday's event at noon selected, above the rows shown: its block comes into view, its
    // start first.
    let friday = h
        .calendar_listed()
        .iter()
        .position(|n| n == "Geriatrics Grand Rounds")
        .unwrap();
    for _ in 0..=friday {
        h.char('j');
    }
    assert_eq!(h.app.calendar.selected, Some(friday));
    assert_eq!(first_hour(&mut h), "12 PM");
    // The next week opens at its own hour.
    press(&mut h, 'l').await;
    assert_eq!(first_hour(&mut h), " 8 AM");
}

/// The student's week, and an ILM due time as Ilios writes it (`ILM - Due: hh:mm AM`).
#[tokio::test]
async fn week_view_of_the_student() {
    let mut h = calendar(Persona::Student).await;
    snap(&mut h, "student_week_80x24", (80, 24));
    snap(&mut h, "student_week_120x40", (120, 40));
}

/// Month view: a grid of weeks (the locale's first day first), each day's first events and
/// "+N more"; `l` is the next month.
#[tokio::test]
async fn month_view_and_forward() {
    let mut h = calendar(Persona::Nicholas).await;
    press(&mut h, 'm').await;
    assert_eq!(h.app.calendar.view, CalendarView::Month);
    snap(&mut h, "nicholas_month_80x24", (80, 24));
    snap(&mut h, "nicholas_month_120x40", (120, 40));
    assert!(screen(&mut h, (80, 24)).contains("+2 more"));
    // j selects the month's first event, written out in full below the grid.
    h.char('j');
    let s = screen(&mut h, (120, 40));
    assert!(
        s.contains("Mon Feb 1  08:10 AM – 09:00 AM  Cutting Edge Geroscience"),
        "{s}"
    );
    press(&mut h, 'l').await;
    assert!(screen(&mut h, (80, 24)).contains("March 2027 · My Schedule"));
    assert_eq!(
        h.app.calendar.selected, None,
        "another month starts unselected"
    );
}

/// Day view: one day as a time grid of one wide column (FE `daily-calendar.gjs`), each event
/// written out in its block; `h` is the day before.
#[tokio::test]
async fn day_view_and_back() {
    let mut h = calendar(Persona::Nicholas).await;
    press(&mut h, 'd').await;
    snap(&mut h, "nicholas_day_80x24", (80, 24));
    snap(&mut h, "nicholas_day_120x40", (120, 40));
    press(&mut h, 'h').await;
    let s = screen(&mut h, (80, 24));
    assert!(
        s.contains("Tuesday, February 16, 2027 · My Schedule"),
        "{s}"
    );
    assert!(
        s.contains(" 1 PM│▎01:00 PM – 04:00 PM Clinical Skills: Geriatric Assessment"),
        "{s}"
    );
    // t: back to today.
    h.char('t');
    assert_eq!(
        h.app.calendar.date,
        NaiveDate::from_ymd_opt(2027, 2, 17).unwrap()
    );
}

/// Going back to a range already fetched asks nothing of the server; an answer that arrives
/// late, for a range no longer shown, is kept for later but changes nothing on screen.
#[tokio::test]
async fn a_late_answer_for_another_range_does_not_change_the_view() {
    let mut h = calendar(Persona::Nicholas).await;
    let this_week = span_shown(&h.app);
    // l asks for next week; h comes back before its answer (the key is not fed back yet).
    let key = |c| Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let ask = update(&mut h.app, key('l'));
    assert_eq!(ask.len(), 1, "next week is fetched: {ask:?}");
    let next_week = span_shown(&h.app);
    h.run(ask);
    let back = update(&mut h.app, key('h'));
    assert!(back.is_empty(), "this week is cached: {back:?}");
    assert_eq!(span_shown(&h.app), this_week);
    let before = screen(&mut h, (80, 24));
    // Now next week's answer arrives.
    h.until("next week's late answer", move |a| loaded(a, next_week))
        .await;
    assert_eq!(span_shown(&h.app), this_week);
    assert_eq!(h.app.calendar.view, CalendarView::Week);
    assert_eq!(screen(&mut h, (80, 24)), before);
    // And going forward again is instant.
    let forward = update(&mut h.app, key('l'));
    assert!(forward.is_empty(), "next week is cached: {forward:?}");
    assert!(screen(&mut h, (80, 24)).contains("Week of February 21-27, 2027"));
}

/// Enter opens the event detail popup of the glance for the selected event.
#[tokio::test]
async fn enter_opens_the_event_detail() {
    let mut h = calendar(Persona::Nicholas).await;
    h.char('j');
    h.key(KeyCode::Enter);
    let s = screen(&mut h, (120, 40));
    assert!(s.contains("Course: Aging and End of Life"), "{s}");
    assert!(s.contains("Instructors: Larry West"), "{s}");
    h.key(KeyCode::Esc);
    assert!(h.app.dialog.is_none());
}

/// `g` and a date: the view around that date.
#[tokio::test]
async fn go_to_a_date() {
    let mut h = calendar(Persona::Nicholas).await;
    press(&mut h, 'm').await;
    h.char('g');
    for c in "2027-04-09".chars() {
        h.char(c);
    }
    h.key(KeyCode::Enter);
    assert!(h.app.dialog.is_none());
    assert_eq!(h.app.pane, Pane::Calendar);
    assert!(screen(&mut h, (80, 24)).contains("April 2027 · My Schedule"));
}

/// In a real terminal: `5` shows the week, `m` the month, `l` the next one; `q` leaves with 0.
#[test]
fn pty_flow_week_month_forward_quit() {
    let (_home, env) = common::private_home();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = Pty::spawn(&["--demo"], &env, 80, 24);
    pty.wait_for("Nicholas A. Gutierrez");
    pty.send("5");
    pty.wait_for("Week of February 14-20, 2027 · My Schedule");
    pty.wait_for(" 8 AM│         │▎8:10a");
    pty.send("m");
    pty.wait_for("February 2027 · My Schedule");
    pty.send("l");
    pty.wait_for("March 2027 · My Schedule");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
}
