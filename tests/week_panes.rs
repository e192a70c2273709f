//! Dashboard and Week at a Glance for the student against the embedded server: which events
//! are listed and how, week navigation (`l`, `h`, `t`, `g` + date), the detail popup and its copy.

mod common;

use common::headless::Headless;
use crossterm::event::KeyCode;
use ilios_tui::app::dialogs::{Dialog, EventDetail, GoToDate};
use ilios_tui::app::state::{App, Pane};
use ilios_tui::demo::Persona;
use ilios_tui::domain::week::{Week, WeekGlance};

/// The screen as plain rows (the TestBackend quotes each row).
fn screen(h: &mut Headless, w: u16, rows: u16) -> String {
    h.rows(w, rows)
}

fn glance(app: &App, week: Week) -> Option<&WeekGlance> {
    app.weeks.get(&week).and_then(|e| e.glance.ready())
}

async fn wait_week(h: &mut Headless, week: Week) {
    h.until(&format!("the week of {}", week.first), move |a| {
        glance(a, week).is_some()
    })
    .await;
}

async fn student() -> Headless {
    let mut h = Headless::start(Persona::Student).await;
    let week = h.app.this_week;
    wait_week(&mut h, week).await;
    h
}

fn names(g: &WeekGlance) -> Vec<String> {
    g.events().map(|e| e.name.clone()).collect()
}

fn assert_has(screen: &str, what: &str) {
    assert!(
        screen.contains(what),
        "{what:?} is not on screen:\n{screen}"
    );
}

/// The whole glance of the current pane, scrolled through with PgDn at 120x40.
fn whole_glance(h: &mut Headless) -> String {
    h.key(KeyCode::Home);
    let mut out = String::new();
    for _ in 0..20 {
        let s = screen(h, 120, 40);
        let done = out.contains(&s);
        out.push_str(&s);
        if done {
            break;
        }
        h.key(KeyCode::PageDown);
    }
    out
}

/// Ilios sends a director or instructor their unpublished and TBD (scheduled) events in full,
/// and a learner the TBD ones blanked as "Scheduled" (`UserEvent::clearDataForUnprivilegedUsers`):
/// the glance lists none of them (`week-glance.gjs`: `!isBlanked && isPublished && !isScheduled`).
#[tokio::test]
async fn unpublished_and_tbd_events_are_never_listed() {
    let mut h = Headless::start(Persona::Nicholas).await;
    let week = h.app.this_week;
    wait_week(&mut h, week).await;
    let sent = h.sent_events(Persona::Nicholas, week).await;
    let find = |name: &str| {
        sent.iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("the server did not send {name}"))
    };
    assert!(!find("Palliative Pharmacology").is_published);
    assert!(find("Geriatrics Grand Rounds").is_scheduled);
    hidden_from_every_glance(&mut h);

    let mut h = student().await;
    let sent = h.sent_events(Persona::Student, h.app.this_week).await;
    assert!(
        sent.iter()
            .any(|e| e.name == "Scheduled" && e.offering.is_none()),
        "a learner gets the TBD event blanked"
    );
    hidden_from_every_glance(&mut h);
}

fn hidden_from_every_glance(h: &mut Headless) {
    let g = glance(&h.app, h.app.this_week).unwrap();
    let listed = names(g);
    assert!(!listed.is_empty());
    assert!(
        listed.iter().all(|n| n != "Palliative Pharmacology"),
        "{listed:?}"
    );
    assert!(
        listed.iter().all(|n| n != "Geriatrics Grand Rounds"),
        "{listed:?}"
    );
    assert!(listed.iter().all(|n| n != "Scheduled"), "{listed:?}");
    for pane in ['1', '2'] {
        h.char(pane);
        let page = whole_glance(h);
        assert!(!page.contains("Palliative Pharmacology"), "{page}");
        assert!(!page.contains("Geriatrics Grand Rounds"), "{page}");
        assert!(!page.contains("Scheduled"), "{page}");
        assert_has(&page, "Cutting Edge Geroscience");
    }
}

#[tokio::test]
async fn the_ilm_shows_due_by() {
    let mut h = student().await;
    let g = glance(&h.app, h.app.this_week).unwrap();
    let checkpoint = g
        .events()
        .find(|e| e.name.starts_with("Weekly Checkpoint") && e.name.ends_with("- Due"))
        .unwrap_or_else(|| panic!("{:?}", names(g)));
    assert!(checkpoint.ilm);
    let name = checkpoint.name.clone();
    // Pane 2 has no Coming Up column, which may list the checkpoint too (on days before it).
    h.char('2');
    let page = whole_glance(&mut h);
    let row = page
        .lines()
        .find(|l| l.contains(&name))
        .unwrap_or_else(|| panic!("{name} not on screen:\n{page}"));
    assert!(row.contains("Due By 05:00 PM"), "{row:?}");
}

#[tokio::test]
async fn prework_is_nested_under_the_workshop_and_not_listed_on_its_own() {
    let mut h = student().await;
    let g = glance(&h.app, h.app.this_week).unwrap();
    let listed = names(g);
    assert!(
        listed
            .iter()
            .all(|n| !n.contains("Advance Care Planning Readings")),
        "the pre-work is listed on its own: {listed:?}"
    );
    let workshop = g
        .events()
        .find(|e| e.name == "Advance Care Planning Workshop")
        .unwrap_or_else(|| panic!("{listed:?}"));
    assert_eq!(workshop.prework.len(), 1, "{:?}", workshop.prework);
    assert_eq!(workshop.prework[0].name, "Advance Care Planning Readings");
    // On screen (tall enough for the whole week): under the workshop, before the next event. On
    // pane 2, which has no Coming Up column that may name the workshop too.
    h.char('2');
    let page = screen(&mut h, 120, 150);
    let lines: Vec<&str> = page.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Advance Care Planning Workshop"))
        .unwrap_or_else(|| panic!("{page}"));
    let pre = lines[at..]
        .iter()
        .position(|l| l.contains("Advance Care Planning Readings"))
        .unwrap_or_else(|| panic!("no pre-work under the workshop:\n{page}"));
    assert!(pre < 8, "{page}");
    assert!(lines[at + pre].contains("Pre-work:"), "{}", lines[at + pre]);
}

#[tokio::test]
async fn the_multi_day_hospice_event_is_listed_once() {
    let mut h = student().await;
    let g = glance(&h.app, h.app.this_week).unwrap();
    let days: Vec<String> = g
        .days
        .iter()
        .filter(|d| {
            d.events
                .iter()
                .any(|e| e.name == "Hospice Immersion Experience")
        })
        .map(|d| d.weekday.clone())
        .collect();
    assert_eq!(days, ["Thursday"], "{:?}", names(g));
    h.char('2');
    let mut seen = std::collections::HashSet::new();
    h.key(KeyCode::Home);
    // Count title rows while walking the selection through every event.
    let mut rows = 0;
    for _ in 0..g_len(&h) {
        h.char('j');
        let i = h.app.week_view.pane.selected.unwrap();
        if seen.insert(i) {
            let e = glance(&h.app, h.app.browse_week).unwrap().event(i).unwrap();
            if e.name == "Hospice Immersion Experience" {
                rows += 1;
            }
        }
    }
    assert_eq!(rows, 1);
    let page = whole_glance(&mut h);
    assert_has(&page, "Hospice Immersion Experience");
}

fn g_len(h: &Headless) -> usize {
    glance(&h.app, h.app.pane_week()).map_or(0, WeekGlance::len)
}

#[tokio::test]
async fn l_shows_next_week_and_t_returns() {
    let mut h = student().await;
    let this = h.app.this_week;
    h.char('2');
    assert_eq!(h.app.pane, Pane::Week);
    assert_has(&screen(&mut h, 120, 40), &this.glance_title());
    h.char('l');
    let next = this.next();
    assert_eq!(h.app.browse_week, next);
    wait_week(&mut h, next).await;
    let s = screen(&mut h, 120, 40);
    assert_has(&s, &next.glance_title());
    assert!(!s.contains(&this.glance_title()), "{s}");
    assert_has(&s, "Cutting Edge Geroscience");
    let g = glance(&h.app, next).unwrap();
    assert!(g.events().all(|e| next.contains(e.start.date())), "{g:?}");
    h.char('t');
    assert_eq!(h.app.browse_week, this);
    assert_has(&screen(&mut h, 120, 40), &this.glance_title());
}

#[tokio::test]
async fn g_and_a_typed_date_open_that_week() {
    let mut h = student().await;
    h.char('2');
    let date = h.app.this_week.first + chrono::Duration::days(23);
    h.char('g');
    assert!(matches!(
        h.app.dialog,
        Some(Dialog::GoToDate(GoToDate { .. }))
    ));
    for c in date.format("%Y-%m-%d").to_string().chars() {
        h.char(c);
    }
    h.key(KeyCode::Enter);
    assert!(h.app.dialog.is_none());
    let week = Week::containing(date, h.app.settings.week_start);
    assert_eq!(h.app.browse_week, week);
    wait_week(&mut h, week).await;
    let s = screen(&mut h, 120, 40);
    assert_has(&s, &week.glance_title());
    assert_has(&s, "Cutting Edge Geroscience");
}

#[tokio::test]
async fn a_bad_date_says_so_and_stays() {
    let mut h = student().await;
    h.char('2');
    h.char('g');
    for c in "next friday".chars() {
        h.char(c);
    }
    h.key(KeyCode::Enter);
    assert!(matches!(
        &h.app.dialog,
        Some(Dialog::GoToDate(GoToDate { error: Some(_), .. }))
    ));
    assert_has(&screen(&mut h, 80, 24), "is not a date like");
    h.key(KeyCode::Esc);
    assert!(h.app.dialog.is_none());
    assert_eq!(h.app.browse_week, h.app.this_week);
}

#[tokio::test]
async fn enter_opens_the_detail_with_course_and_materials_and_c_copies() {
    let mut h = student().await;
    h.char('2');
    h.char('j');
    let week = h.app.browse_week;
    let i = h.app.week_view.pane.selected.expect("j selects an event");
    let ev = glance(&h.app, week).unwrap().event(i).unwrap().clone();
    assert_eq!(ev.name, "Cutting Edge Geroscience");
    h.key(KeyCode::Enter);
    assert!(matches!(
        h.app.dialog,
        Some(Dialog::EventDetail(EventDetail { index, .. })) if index == i
    ));
    let s = screen(&mut h, 120, 40);
    let course = ev.course_title.clone().expect("a course title");
    assert_has(&s, &course);
    assert!(!ev.materials.is_empty());
    assert_has(&s, &ev.materials[0].title);
    h.char('c');
    h.until("the copy flash", |a| a.flash.is_some()).await;
    let said = h.app.flash.as_ref().unwrap().text.clone();
    assert!(said.starts_with("Link "), "{said}");
    assert_has(&screen(&mut h, 120, 40), &said);
    h.key(KeyCode::Esc);
    assert!(h.app.dialog.is_none());
}

#[tokio::test]
async fn a_quick_run_of_week_changes_ends_on_the_last_week_asked_for() {
    let mut h = student().await;
    h.char('2');
    for _ in 0..5 {
        h.char('l');
    }
    h.char('h');
    h.char('h');
    let this = h.app.this_week;
    let want = this.next().next().next();
    assert_eq!(h.app.browse_week, want);
    wait_week(&mut h, want).await;
    h.settle(std::time::Duration::from_millis(300)).await;
    assert_eq!(h.app.browse_week, want);
    let g = glance(&h.app, want).unwrap();
    assert!(!g.is_empty());
    assert!(g.events().all(|e| want.contains(e.start.date())), "{g:?}");
    let s = screen(&mut h, 120, 40);
    assert_has(&s, &want.glance_title());
    assert_has(&s, "Cutting Edge Geroscience");
}

#[tokio::test]
async fn the_dashboard_shows_this_week_and_its_events() {
    let mut h = student().await;
    assert_eq!(h.app.pane, Pane::Dashboard);
    let s = screen(&mut h, 80, 24);
    assert_has(&s, &h.app.this_week.glance_title());
    assert_has(&s, "Cutting Edge Geroscience");
    // j + Enter opens the first event's detail on the Dashboard too.
    h.char('j');
    h.key(KeyCode::Enter);
    assert!(matches!(
        h.app.dialog,
        Some(Dialog::EventDetail(EventDetail { .. }))
    ));
    h.key(KeyCode::Esc);
    assert!(h.app.dialog.is_none());
}

/// Enter with nothing selected opens the first event on screen (and selects it), not nothing.
#[tokio::test]
async fn enter_with_nothing_selected_opens_the_first_event_on_screen() {
    let mut h = student().await;
    h.char('2');
    // Scrolled down a page, so the first visible event is not the week's first.
    screen(&mut h, 80, 24);
    h.key(KeyCode::PageDown);
    screen(&mut h, 80, 24);
    assert_eq!(h.app.week_view.pane.selected, None);
    let first_on_screen = h
        .app
        .week_view
        .pane
        .first_visible()
        .expect("events on screen");
    assert!(first_on_screen > 0, "the page moved past the first event");
    h.key(KeyCode::Enter);
    assert!(
        matches!(
            h.app.dialog,
            Some(Dialog::EventDetail(EventDetail { index, .. })) if index == first_on_screen
        ),
        "{:?}",
        h.app.dialog
    );
    assert_eq!(h.app.week_view.pane.selected, Some(first_on_screen));
}
