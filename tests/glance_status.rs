//! Learning-material status in the Week at a Glance and the event detail (issue #16), as the web
//! client keeps it: ilios/frontend `packages/ilios-common/addon/components/user-material-status.gjs`
//! (a box only when `materialStatusEnabled` is on and the user's statuses are loaded; a click
//! moves Not Started → In Progress → Complete → Not Started and saves a
//! `user-session-material-status`) and `week-glance/learning-material-list-item.gjs` (no box on a
//! timed-release material not yet open; a pre-work material's box is disabled).

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use ilios_tui::api::materials::MaterialStatusRecord;
use ilios_tui::api::models::{ApplicationConfig, UserEvent};
use ilios_tui::api::{ApiError, Token};
use ilios_tui::app::dialogs::Dialog;
use ilios_tui::app::dialogs::event_detail::PREWORK_STATUS_FIXED;
use ilios_tui::app::keymap::Keymap;
use ilios_tui::app::panes::materials::StatusWrite;
use ilios_tui::app::state::*;
use ilios_tui::app::{Action, Answer, Effect, Stamp, update};
use ilios_tui::config::TokenSource;
use ilios_tui::domain::materials::MaterialStatus;
use ilios_tui::domain::week::{TimeFormat, WeekStart};
use ilios_tui::ui::Theme;

fn jwt(payload: &str) -> String {
    use base64::Engine;
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
    format!("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{b}.sig")
}

/// A signed-in app on the stopped test clock, with nothing loaded yet.
fn app() -> App {
    let clock = common::stopped_test_clock();
    let settings = Settings {
        week_start: WeekStart::Sunday,
        time_format: TimeFormat::H12,
        theme: Theme::MONO,
        keymap: Keymap::default(),
        config_path: None,
        clock,
    };
    let mut app = App::new(
        settings,
        "http://127.0.0.1:1/",
        "127.0.0.1:1",
        "d",
        Now::read(&clock),
    );
    let token = Token::new(jwt(r#"{"iat":"1","exp":"4102444800","user_id":2}"#));
    let session = Session::new(token, TokenSource::Env).unwrap();
    ilios_tui::app::update::start_session(&mut app, session, &mut Vec::new());
    app
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn answer(app: &App, answer: Answer) -> Action {
    Action::Answer {
        stamp: Stamp {
            generation: app.generation,
            epoch: app.token_epoch,
        },
        answer,
    }
}

fn names(fx: &[Effect]) -> Vec<String> {
    fx.iter().map(|e| format!("{e:?}")).collect()
}

/// The status writes among `fx` (a flash also asks for its expiry).
fn writes(fx: &[Effect]) -> Vec<String> {
    names(fx)
        .into_iter()
        .filter(|n| n.starts_with("SaveMaterialStatus"))
        .collect()
}

fn config(on: bool) -> Action {
    Action::AppConfigLoaded(Ok(ApplicationConfig {
        auth_type: "form".into(),
        material_status_enabled: on,
        ..Default::default()
    }))
}

fn record(id: u64, material: u64, status: i64) -> MaterialStatusRecord {
    MaterialStatusRecord {
        id,
        user: 2,
        material,
        status,
    }
}

/// One event of the test week with a pre-work material (slm 20), a link (slm 10, record 5,
/// complete), a citation (slm 11, no record) and a timed-release material not yet open (slm 12).
fn events() -> Vec<UserEvent> {
    serde_json::from_str(
        r#"[{"name":"Cutting Edge Geroscience","startDate":"2027-02-17T16:10:00+00:00",
          "endDate":"2027-02-17T17:00:00+00:00","offering":71,"isPublished":true,"isScheduled":false,
          "learningMaterials":[
            {"id":"1","sessionLearningMaterial":"10","title":"Slides","link":"https://example.org/s","isBlanked":false},
            {"id":"2","sessionLearningMaterial":"11","title":"Hallmarks","citation":"Cell. 2023","isBlanked":false},
            {"id":"3","sessionLearningMaterial":"12","title":"Quiz","startDate":"2027-02-20T15:00:00+00:00","isBlanked":true}],
          "prerequisites":[{"name":"Read Before","startDate":"2027-02-17T16:10:00+00:00",
            "endDate":"2027-02-17T16:25:00+00:00","ilmSession":42,"isPublished":true,"isScheduled":false,
            "learningMaterials":[{"id":"4","sessionLearningMaterial":"20","title":"pre mat","link":"https://example.org/p","isBlanked":false}]}],
          "postrequisites":[]}]"#,
    )
    .unwrap()
}

/// The app with the config in (`on`), the statuses answered, this week loaded, and the event's
/// detail open.
fn detail_open(on: bool) -> App {
    let mut app = app();
    let fx = update(&mut app, config(on));
    assert_eq!(
        names(&fx)
            .iter()
            .any(|n| n.starts_with("LoadMaterialStatuses")),
        on,
        "{fx:?}"
    );
    if on {
        let seq = app.material_statuses.seq;
        let a = answer(
            &app,
            Answer::MaterialStatuses {
                seq,
                result: Ok(vec![record(5, 10, 2)]),
            },
        );
        update(&mut app, a);
    }
    let week = app.this_week;
    let seq = app.weeks[&week].seq;
    let a = answer(
        &app,
        Answer::Week {
            week,
            seq,
            result: Ok(events()),
        },
    );
    update(&mut app, a);
    update(&mut app, key('j'));
    update(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(matches!(app.dialog, Some(Dialog::EventDetail(_))));
    app
}

fn flash(app: &App) -> String {
    app.flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

/// The statuses are asked for once, when the server says it keeps them; the answer of an older
/// request is dropped; `r` on a week pane asks again.
#[test]
fn statuses_load_once_with_the_feature_on() {
    let mut app = app();
    assert!(app.material_statuses.shown().is_none());
    let fx = update(&mut app, config(true));
    assert_eq!(
        names(&fx)
            .iter()
            .filter(|n| n.starts_with("LoadMaterialStatuses"))
            .count(),
        1
    );
    // The config again (a sign-in screen asks for it): no second request.
    assert!(update(&mut app, config(true)).is_empty());
    let old = app.material_statuses.seq;
    let fx = update(&mut app, key('r'));
    assert!(
        names(&fx)
            .iter()
            .any(|n| n.starts_with("LoadMaterialStatuses")),
        "{fx:?}"
    );
    let stale = answer(
        &app,
        Answer::MaterialStatuses {
            seq: old,
            result: Ok(vec![record(5, 10, 2)]),
        },
    );
    update(&mut app, stale);
    assert!(
        app.material_statuses.shown().is_none(),
        "an older answer is dropped"
    );
    let seq = app.material_statuses.seq;
    let fresh = answer(
        &app,
        Answer::MaterialStatuses {
            seq,
            result: Ok(vec![record(5, 10, 2)]),
        },
    );
    update(&mut app, fresh);
    assert_eq!(app.material_statuses.of(10), Some(MaterialStatus::Complete));
    assert_eq!(
        app.material_statuses.of(11),
        Some(MaterialStatus::NotStarted)
    );
}

/// In the detail: x on a pre-work material says why nothing changes; on the event's own
/// material it moves on at once and sends the write My Materials sends; a second x while it is
/// out sends nothing; a refusal puts the old status back and says why; a material without a
/// record gets a new one.
#[test]
fn x_in_the_detail_cycles_the_selected_material() {
    let mut app = detail_open(true);
    // The first stop is the pre-work material's link.
    let fx = update(&mut app, key('x'));
    assert!(writes(&fx).is_empty(), "{fx:?}");
    assert_eq!(flash(&app), PREWORK_STATUS_FIXED);
    assert_eq!(
        app.material_statuses.of(20),
        Some(MaterialStatus::NotStarted)
    );

    update(&mut app, key('j'));
    let fx = update(&mut app, key(' '));
    let write = StatusWrite {
        existing: Some(5),
        material: 10,
        status: MaterialStatus::NotStarted,
        previous: MaterialStatus::Complete,
    };
    assert_eq!(writes(&fx), [format!("SaveMaterialStatus({write:?})")]);
    assert_eq!(
        app.material_statuses.of(10),
        Some(MaterialStatus::NotStarted)
    );
    let fx = update(&mut app, key('x'));
    assert!(
        writes(&fx).is_empty(),
        "one write in flight per material: {fx:?}"
    );
    assert!(flash(&app).contains("still being saved"), "{}", flash(&app));

    let refused = answer(
        &app,
        Answer::MaterialStatusSaved {
            write,
            result: Err(ApiError::BadRequest {
                host: "127.0.0.1:1".into(),
                message: "Error in *status*".into(),
            }),
        },
    );
    update(&mut app, refused);
    assert_eq!(app.material_statuses.of(10), Some(MaterialStatus::Complete));
    assert!(flash(&app).contains("back to Complete"), "{}", flash(&app));
    assert!(
        matches!(app.dialog, Some(Dialog::EventDetail(_))),
        "the popup stays"
    );

    // The citation (no link, still a stop): a new record.
    update(&mut app, key('j'));
    let fx = update(&mut app, key('x'));
    assert_eq!(fx.len(), 1, "{fx:?}");
    let Some(Effect::SaveMaterialStatus(write)) = fx.into_iter().next() else {
        panic!("a status write");
    };
    assert_eq!((write.existing, write.material), (None, 11));
    let stored = answer(
        &app,
        Answer::MaterialStatusSaved {
            write,
            result: Ok(record(8, 11, 1)),
        },
    );
    update(&mut app, stored);
    assert_eq!(
        app.material_statuses.of(11),
        Some(MaterialStatus::InProgress)
    );
    assert_eq!(
        app.material_statuses.shown().unwrap().record_of(11),
        Some(8)
    );
    // `c` on it: there is no link to copy. The timed-release quiz is not a stop: j stays.
    update(&mut app, key('c'));
    assert!(flash(&app).contains("no link"), "{}", flash(&app));
    update(&mut app, key('j'));
    let Some(Dialog::EventDetail(d)) = &app.dialog else {
        panic!("open")
    };
    assert_eq!(d.detail.selected, 2);
}

/// With the feature off there are no boxes and x says so.
#[test]
fn x_with_the_feature_off_says_why_nothing_changes() {
    let mut app = detail_open(false);
    update(&mut app, key('j'));
    let fx = update(&mut app, key('x'));
    assert!(writes(&fx).is_empty(), "{fx:?}");
    assert!(
        flash(&app).contains("No statuses are shown"),
        "{}",
        flash(&app)
    );
    let screen = {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        t.draw(|f| ilios_tui::ui::shell::draw(f, &mut app)).unwrap();
        t.backend().to_string()
    };
    assert!(!screen.contains('☐') && !screen.contains('☑'), "{screen}");
}

/// The whole screen at `w`x`h`, with the server's port replaced (it differs between runs).
fn snap(h: &mut common::headless::Headless, name: &str, (w, rows): (u16, u16)) {
    h.app.server_host = "127.0.0.1:PORT".into();
    // The material links hold the port too: the same number of digits, so lines keep their
    // length (Linux gives ephemeral ports of five digits).
    let port = h
        .server
        .url()
        .rsplit(':')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    let screen = h.screen(w, rows).replace(
        &format!("127.0.0.1:{port}"),
        &format!("127.0.0.1:{}", "X".repeat(port.len())),
    );
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(true);
    s.bind(|| insta::assert_snapshot!(name, screen));
}

/// Over real HTTP to the embedded server, on a stopped clock: the student's Dashboard shows a
/// box before each session material once the statuses are in; in the detail, x on the first of
/// the event's own materials moves it on, the server keeps it for that user only, and a new
/// session reads it back. Snapshots at 80x24 and 120x40.
#[tokio::test]
async fn a_status_set_in_the_detail_is_kept_per_user() {
    use common::headless::Headless;
    use ilios_tui::api::{Client, ClientOptions};
    use ilios_tui::demo::Persona;
    use ilios_tui::ui::week::{MaterialAt, detail_stops};

    let clock = common::stopped_test_clock();
    let mut h = Headless::start_at(Persona::Student, clock).await;
    let this = h.app.this_week;
    h.until("this week and the statuses", move |a| {
        a.material_statuses.shown().is_some()
            && a.weeks
                .get(&this)
                .is_some_and(|w| w.glance.ready().is_some())
    })
    .await;
    h.settle(std::time::Duration::from_millis(300)).await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("☐ "), "{screen}");
    snap(&mut h, "dashboard_120x40", (120, 40));

    // The first event with a material of its own that has a box.
    let glance = h.app.weeks[&this].glance.ready().unwrap().clone();
    let (index, stop, material) = glance
        .events()
        .enumerate()
        .find_map(|(i, ev)| {
            detail_stops(ev)
                .iter()
                .enumerate()
                .find_map(|(s, stop)| match stop.material {
                    Some(at @ MaterialAt::Own(_)) => Some((i, s, at.of(ev)?.session_material?)),
                    _ => None,
                })
        })
        .expect("a session material this week");
    h.app.dashboard_view.pane.selected = Some(index);
    h.key(KeyCode::Enter);
    for _ in 0..stop {
        h.char('j');
    }
    let before = h.app.material_statuses.of(material).unwrap();
    h.char('x');
    assert_eq!(h.app.material_statuses.of(material), Some(before.next()));
    h.until("the record stored", |a| {
        !a.material_statuses.is_saving(material)
    })
    .await;
    assert!(h.app.flash.is_none(), "{:?}", h.app.flash);
    snap(&mut h, "detail_80x24", (80, 24));

    let client = |persona| {
        Client::new(&h.server.url(), ClientOptions::default())
            .unwrap()
            .with_token(Token::new(h.server.token_for(persona)))
    };
    let user = h.app.session.as_ref().unwrap().user_id;
    let kept = client(Persona::Student)
        .material_statuses(user)
        .await
        .unwrap();
    assert!(
        kept.iter()
            .any(|r| r.material == material && r.status == before.next().wire()),
        "{kept:?}"
    );
    // Another user's statuses do not hold it.
    let nicholas = client(Persona::Nicholas);
    let nicholas_id = nicholas.whoami().await.unwrap();
    assert!(
        nicholas
            .material_statuses(nicholas_id)
            .await
            .unwrap()
            .iter()
            .all(|r| r.user == nicholas_id),
        "another user's statuses are never listed"
    );

    // A new session of the same user reads it back and draws it.
    h.key(KeyCode::Esc);
    assert!(h.app.dialog.is_none());
    let mut fx = Vec::new();
    let token = Token::new(h.server.token_for(Persona::Student));
    let session = Session::new(token, TokenSource::Env).unwrap();
    ilios_tui::app::update::start_session(&mut h.app, session, &mut fx);
    assert!(
        h.app.material_statuses.shown().is_none(),
        "forgotten with the session"
    );
    h.run(fx);
    h.until("the statuses again", |a| {
        a.material_statuses.shown().is_some()
    })
    .await;
    assert_eq!(h.app.material_statuses.of(material), Some(before.next()));
    h.until("this week again", move |a| {
        a.weeks
            .get(&this)
            .is_some_and(|w| w.glance.ready().is_some())
    })
    .await;
    h.settle(std::time::Duration::from_millis(300)).await;
    snap(&mut h, "dashboard_80x24_after", (80, 24));
}

/// The built binary in a terminal: the student's Dashboard draws a box before each session
/// material; Enter on the first event, x on its first material shows it in progress (`⊟`) in
/// the popup and, once closed, in the glance.
#[test]
fn status_in_the_detail_in_a_terminal() {
    let (_dir, home) = common::private_home();
    let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = common::Pty::spawn(&["--demo", "--persona", "student"], &env, 100, 30);
    pty.wait_for("☐ * Geroscience Lecture Slides");
    pty.send("j");
    pty.wait_for("▌");
    pty.send("\r");
    pty.wait_for("x status");
    pty.send("x");
    pty.wait_for("⊟ * Geroscience Lecture Slides");
    pty.send("\x1b");
    pty.wait_until(|s| !s.contains("x status"), "the popup closed");
    pty.wait_for("⊟ * Geroscience Lecture Slides (PDF file)");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
    pty.assert_restored();
}
