//! The whole shell (header, tabs, pane, overlays, footer) drawn at 80x24 and 120x40 against the
//! embedded server, for the student and Nicholas.
//!
//! Nothing is redacted after drawing: each test picks its day and zone on a stopped clock that
//! the server (its seed, its tokens) and the app (this week, Coming Up, the token's time left)
//! both read, so the screen is the same on every run. Only the server's port changes between
//! runs; the header is given a placeholder host for it.

mod common;

use common::headless::Headless;
use crossterm::event::KeyCode;
use ilios_tui::clock::Clock;
use ilios_tui::demo::Persona;
use ilios_tui::domain::Loadable;

/// The ordinary week of the other tests (`common::TEST_NOW`), stopped.
fn ordinary() -> Clock {
    common::stopped_test_clock()
}

fn snap(h: &mut Headless, name: &str, (w, rows): (u16, u16)) {
    let screen = h.snapshot_rows(w, rows);
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(true);
    s.bind(|| insta::assert_snapshot!(name, screen));
}

async fn ready(persona: Persona) -> Headless {
    ready_at(persona, ordinary()).await
}

async fn ready_at(persona: Persona, clock: Clock) -> Headless {
    let mut h = Headless::start_at(persona, clock).await;
    let (this, next) = (h.app.this_week, h.app.this_week.next());
    h.until("the user and this week", move |a| {
        a.user.ready().is_some()
            && a.weeks
                .get(&this)
                .is_some_and(|w| w.glance.ready().is_some())
    })
    .await;
    // The Dashboard's "Coming Up" also reads next week.
    h.until("next week", move |a| {
        a.weeks
            .get(&next)
            .is_some_and(|w| w.glance.ready().is_some())
    })
    .await;
    h.settle(std::time::Duration::from_millis(300)).await;
    h
}

async fn profile(persona: Persona) -> Headless {
    let mut h = ready(persona).await;
    h.char('3');
    h.until("the whole profile", |a| {
        a.profile.data.as_ref().is_some_and(|d| d.is_complete())
    })
    .await;
    h
}

#[tokio::test]
async fn student_dashboard() {
    let mut h = ready(Persona::Student).await;
    snap(&mut h, "student_dashboard_80x24", (80, 24));
    snap(&mut h, "student_dashboard_120x40", (120, 40));
}

#[tokio::test]
async fn nicholas_dashboard() {
    let mut h = ready(Persona::Nicholas).await;
    snap(&mut h, "nicholas_dashboard_80x24", (80, 24));
    snap(&mut h, "nicholas_dashboard_120x40", (120, 40));
}

#[tokio::test]
async fn student_week_at_a_glance() {
    let mut h = ready(Persona::Student).await;
    h.char('2');
    snap(&mut h, "student_week_80x24", (80, 24));
    snap(&mut h, "student_week_120x40", (120, 40));
    // j selects the first event: the gutter and the reversed title.
    h.char('j');
    h.key(KeyCode::Enter);
    snap(&mut h, "student_week_detail_80x24", (80, 24));
}

#[tokio::test]
async fn student_profile_top() {
    let mut h = profile(Persona::Student).await;
    snap(&mut h, "student_profile_80x24", (80, 24));
    snap(&mut h, "student_profile_120x40", (120, 40));
}

#[tokio::test]
async fn nicholas_profile_top() {
    let mut h = profile(Persona::Nicholas).await;
    snap(&mut h, "nicholas_profile_80x24", (80, 24));
    snap(&mut h, "nicholas_profile_120x40", (120, 40));
}

#[tokio::test]
async fn help_overlay() {
    // Over My Profile, whose top holds no date that could show beside the overlay.
    let mut h = profile(Persona::Student).await;
    h.char('?');
    snap(&mut h, "help_80x24", (80, 24));
    snap(&mut h, "help_120x40", (120, 40));
}

#[tokio::test]
async fn user_menu() {
    let mut h = ready(Persona::Nicholas).await;
    h.char('u');
    snap(&mut h, "user_menu_80x24", (80, 24));
    snap(&mut h, "user_menu_120x40", (120, 40));
}

#[tokio::test]
async fn sign_in_after_logout() {
    let mut h = ready(Persona::Student).await;
    h.char('u');
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert!(h.app.session.is_none());
    h.until("the sign-in form", |a| {
        a.sign_in
            .as_ref()
            .is_some_and(|s| matches!(s.mode, Loadable::Ready(_)))
    })
    .await;
    snap(&mut h, "sign_in_80x24", (80, 24));
    snap(&mut h, "sign_in_120x40", (120, 40));
}

/// The weeks a calendar gets wrong: each is drawn on its own day, in its own zone, as the
/// Dashboard (title, events, Coming Up, the token's time left) and as pane 2 at 80 columns (the
/// longest titles must fit).
async fn week_that_matters(name: &str, moment: &str, zone: &str) {
    let mut h = ready_at(Persona::Student, common::stopped_clock_at(moment, zone)).await;
    snap(&mut h, &format!("dashboard_{name}_120x40"), (120, 40));
    h.char('2');
    snap(&mut h, &format!("week_{name}_80x24"), (80, 24));
}

#[tokio::test]
async fn a_week_crossing_a_month() {
    // November 29 - December 5, 2026: the week that broke the redacting snapshots.
    week_that_matters(
        "crossing_a_month",
        "2026-11-29T10:00",
        "America/Los_Angeles",
    )
    .await;
}

#[tokio::test]
async fn a_week_crossing_a_year() {
    week_that_matters("crossing_a_year", "2026-12-29T15:30", "America/New_York").await;
}

#[tokio::test]
async fn the_spring_change_in_los_angeles() {
    // Clocks go from 02:00 to 03:00 on Sunday, March 14, 2027.
    week_that_matters("dst_los_angeles", "2027-03-14T10:00", "America/Los_Angeles").await;
}

#[tokio::test]
async fn the_autumn_change_in_paris() {
    // Clocks go from 03:00 back to 02:00 on Sunday, October 31, 2027 (and the week crosses into
    // November).
    week_that_matters("dst_paris", "2027-10-31T08:00", "Europe/Paris").await;
}

#[tokio::test]
async fn a_southern_hemisphere_autumn() {
    // Sydney leaves daylight saving on Sunday, April 4, 2027.
    week_that_matters("sydney", "2027-04-04T10:00", "Australia/Sydney").await;
}
