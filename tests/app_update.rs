//! Pure tests of `update`: actions in, state and effects out. No terminal, no network.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use ilios_tui::api::{ApiError, Token};
use ilios_tui::app::dialogs::{Dialog, GoToDate, Help, SessionEnded, UserMenu};
use ilios_tui::app::keymap::Keymap;
use ilios_tui::app::state::*;
use ilios_tui::app::{Action, Answer, Effect, Stamp, update};
use ilios_tui::clipboard::Delivery;
use ilios_tui::config::TokenSource;
use ilios_tui::domain::Loadable;
use ilios_tui::domain::week::{TimeFormat, Week, WeekStart};
use ilios_tui::ui::Theme;

fn jwt(payload: &str) -> String {
    use base64::Engine;
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
    format!("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{b}.sig")
}

/// A stopped clock on a Wednesday in Los Angeles: `update` reads only the `Now` it is given.
fn clock() -> ilios_tui::clock::Clock {
    let at = chrono::DateTime::parse_from_rfc3339("2027-02-17T10:00:00-08:00").unwrap();
    ilios_tui::clock::Clock::stopped_at(at.to_utc()).in_zone("America/Los_Angeles".parse().unwrap())
}

fn app() -> App {
    let settings = Settings {
        week_start: WeekStart::Sunday,
        time_format: TimeFormat::H12,
        theme: Theme::default(),
        keymap: Keymap::default(),
        config_path: None,
        clock: clock(),
    };
    let mut app = App::new(
        settings,
        "http://127.0.0.1:1/",
        "127.0.0.1:1",
        "http://127.0.0.1:1/api/doc",
        Now::read(&clock()),
    );
    let token = Token::new(jwt(
        r#"{"iat":"1","exp":"4102444800","firstCreatedAt":"1","user_id":7}"#,
    ));
    let session = Session::new(token, TokenSource::Env).unwrap();
    let mut fx = Vec::new();
    ilios_tui::app::update::start_session(&mut app, session, &mut fx);
    app
}

/// An answer as the runtime hands it to `update`, stamped with `generation` (session epoch 0).
fn answered(generation: u64, answer: Answer) -> Action {
    Action::Answer {
        stamp: Stamp {
            generation,
            epoch: 0,
        },
        answer,
    }
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn names(fx: &[Effect]) -> Vec<String> {
    fx.iter().map(|e| format!("{e:?}")).collect()
}

#[test]
fn starting_a_session_loads_user_and_this_week_at_once() {
    let mut app = App::new(
        Settings {
            week_start: WeekStart::Monday,
            time_format: TimeFormat::H24,
            theme: Theme::MONO,
            keymap: Keymap::default(),
            config_path: None,
            clock: clock(),
        },
        "u",
        "h",
        "d",
        Now::read(&clock()),
    );
    let token = Token::new(jwt(r#"{"exp":4102444800,"user_id":"9"}"#));
    let mut fx = Vec::new();
    ilios_tui::app::update::start_session(
        &mut app,
        Session::new(token, TokenSource::Env).unwrap(),
        &mut fx,
    );
    let n = names(&fx);
    assert_eq!(n[0], "LoadUser");
    assert!(n[1].starts_with("LoadWeek("), "{n:?}");
    assert_eq!(app.session.as_ref().unwrap().user_id, 9);
}

#[test]
fn number_keys_and_tab_switch_panes() {
    let mut app = app();
    update(&mut app, key('3'));
    assert_eq!(app.pane, Pane::Profile);
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(app.pane, Pane::Materials);
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(app.pane, Pane::Calendar);
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(app.pane, Pane::Dashboard);
    update(&mut app, code(KeyCode::BackTab));
    assert_eq!(app.pane, Pane::Calendar);
    update(&mut app, key('4'));
    assert_eq!(app.pane, Pane::Materials);
    update(&mut app, key('3'));
    let fx = update(&mut app, key('2'));
    assert_eq!(app.pane, Pane::Week);
    // The week pane shows this week, already loading since start-up: no second request.
    assert!(names(&fx).is_empty(), "{:?}", names(&fx));
}

#[test]
fn help_opens_and_takes_the_keys_until_closed() {
    let mut app = app();
    update(&mut app, key('?'));
    assert!(matches!(app.dialog, Some(Dialog::Help(Help { .. }))));
    update(&mut app, key('3'));
    assert_eq!(app.pane, Pane::Dashboard, "keys go to the overlay");
    update(&mut app, code(KeyCode::Esc));
    assert!(app.dialog.is_none());
    update(&mut app, key('q'));
    assert!(app.quit);
}

#[test]
fn user_menu_wraps_and_logout_returns_to_sign_in() {
    let mut app = app();
    update(&mut app, key('u'));
    update(&mut app, code(KeyCode::Up));
    assert!(
        matches!(app.dialog, Some(Dialog::UserMenu(UserMenu { selected: 1 }))),
        "wraps to Logout"
    );
    let generation = app.generation;
    let fx = update(&mut app, code(KeyCode::Enter));
    // What was kept on disk for this user goes too.
    assert_eq!(names(&fx), ["ForgetCache(7)", "Logout", "LoadAppConfig"]);
    assert!(app.session.is_none());
    assert!(app.sign_in.is_some());
    assert!(
        app.generation > generation,
        "answers for the old session will be dropped"
    );
}

#[test]
fn week_navigation_uses_the_cache_and_drops_replaced_answers() {
    let mut app = app();
    let this = app.this_week;
    update(&mut app, key('2'));
    // Ten quick changes: each new week is requested once; the last one asked for is shown.
    let mut requested = Vec::new();
    for _ in 0..10 {
        let fx = update(&mut app, key('l'));
        requested.extend(names(&fx));
    }
    assert_eq!(requested.len(), 10);
    assert_eq!(app.browse_week, {
        let mut w = this;
        for _ in 0..10 {
            w = w.next();
        }
        w
    });
    // Back to a week already asked for: no new request.
    let fx = update(&mut app, key('h'));
    assert!(fx.is_empty());
    // A refresh replaces the pending request; the older answer is ignored.
    let week = app.browse_week;
    let old_seq = app.weeks[&week].seq;
    update(&mut app, key('r'));
    let new_seq = app.weeks[&week].seq;
    assert_ne!(old_seq, new_seq);
    let generation = app.generation;
    update(
        &mut app,
        answered(
            generation,
            Answer::Week {
                week,
                seq: old_seq,
                result: Ok(vec![]),
            },
        ),
    );
    assert!(
        app.weeks[&week].timeline.is_loading(),
        "a replaced answer is dropped"
    );
    update(
        &mut app,
        answered(
            generation,
            Answer::Week {
                week,
                seq: new_seq,
                result: Ok(vec![]),
            },
        ),
    );
    assert!(matches!(app.weeks[&week].timeline, Loadable::Ready(_)));
    // An answer for an older session is dropped too, even one that matches the pending request.
    assert!(app.weeks[&this].timeline.is_loading());
    let pending = app.weeks[&this].seq;
    update(
        &mut app,
        answered(
            generation - 1,
            Answer::Week {
                week: this,
                seq: pending,
                result: Ok(vec![]),
            },
        ),
    );
    assert!(
        app.weeks[&this].timeline.is_loading(),
        "an older session's answer is dropped"
    );
}

#[test]
fn go_to_date_opens_that_week() {
    let mut app = app();
    update(&mut app, key('2'));
    update(&mut app, key('g'));
    for c in "2024-03-12".chars() {
        update(&mut app, key(c));
    }
    let fx = update(&mut app, code(KeyCode::Enter));
    assert!(app.dialog.is_none());
    assert_eq!(
        app.browse_week,
        Week::containing(
            NaiveDate::from_ymd_opt(2024, 3, 10).unwrap(),
            WeekStart::Sunday
        )
    );
    assert_eq!(names(&fx).len(), 1);
    update(&mut app, key('g'));
    for c in "soon".chars() {
        update(&mut app, key(c));
    }
    update(&mut app, code(KeyCode::Enter));
    assert!(
        matches!(&app.dialog, Some(Dialog::GoToDate(GoToDate { error: Some(e), .. })) if e.contains("not a date"))
    );
}

#[test]
fn a_401_ends_the_session_but_keeps_the_screen() {
    let mut app = app();
    let generation = app.generation;
    let week = app.this_week;
    let seq = app.weeks[&week].seq;
    let err = ApiError::Unauthorized {
        host: "h".into(),
        reason: "Authentication Failed. Invalid JSON Web Token: Expired token".into(),
    };
    update(
        &mut app,
        answered(
            generation,
            Answer::Week {
                week,
                seq,
                result: Err(err),
            },
        ),
    );
    match &app.dialog {
        Some(Dialog::SessionEnded(SessionEnded { reason })) => {
            assert!(reason.contains("Expired token"))
        }
        other => panic!("{other:?}"),
    }
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(names(&fx), ["LoadAppConfig"]);
    assert!(
        app.sign_in
            .as_ref()
            .unwrap()
            .notice
            .as_ref()
            .unwrap()
            .contains("Expired token")
    );
    assert!(
        app.session.is_some(),
        "the old session stays until a new one replaces it"
    );
}

#[test]
fn other_failures_flash_an_alert_that_a_key_dismisses() {
    let mut app = app();
    let generation = app.generation;
    let week = app.this_week;
    let seq = app.weeks[&week].seq;
    let err = ApiError::Server {
        host: "h".into(),
        status: 500,
        message: None,
    };
    let fx = update(
        &mut app,
        answered(
            generation,
            Answer::Week {
                week,
                seq,
                result: Err(err),
            },
        ),
    );
    assert!(fx.is_empty(), "an alert has no timer");
    let flash = app.flash.clone().unwrap();
    assert_eq!(flash.kind, FlashKind::Alert);
    assert_eq!(flash.text, "h failed with HTTP 500");
    assert!(matches!(app.weeks[&week].timeline, Loadable::Failed(_)));
    update(&mut app, key('j'));
    assert!(app.flash.is_none());
    // r retries.
    let fx = update(&mut app, key('r'));
    assert_eq!(names(&fx).len(), 1);
}

#[test]
fn success_flash_expires_and_a_newer_one_replaces_it() {
    let mut app = app();
    let fx = update(
        &mut app,
        Action::Copied {
            what: "token",
            result: Ok(Delivery::TmuxBuffer { forwarded: true }),
        },
    );
    assert!(names(&fx)[0].starts_with("ExpireFlash("));
    let first = app.flash_id;
    let flash = app.flash.clone().unwrap();
    assert_eq!(flash.kind, FlashKind::Success, "tmux confirmed the copy");
    assert!(flash.text.starts_with("Token in tmux's buffer"));
    update(
        &mut app,
        Action::Copied {
            what: "link",
            result: Err("no terminal".into()),
        },
    );
    let second = app.flash.clone().unwrap();
    assert_eq!(second.kind, FlashKind::Alert);
    // The first one's timer firing does not remove the second.
    update(&mut app, Action::FlashExpired(first));
    assert!(app.flash.is_some());
}

#[test]
fn sign_in_form_tabs_between_fields_and_submits() {
    let mut app = app();
    app.sign_in = Some(SignIn::new(None));
    update(
        &mut app,
        Action::AppConfigLoaded(Ok(ilios_tui::api::models::ApplicationConfig {
            auth_type: "form".into(),
            ..Default::default()
        })),
    );
    for c in "student".chars() {
        update(&mut app, key(c));
    }
    let fx = update(&mut app, code(KeyCode::Enter));
    assert!(fx.is_empty(), "Enter on the username moves to the password");
    assert_eq!(app.sign_in.as_ref().unwrap().focus, SignInField::Password);
    for c in "demo".chars() {
        update(&mut app, key(c));
    }
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(
        names(&fx),
        ["SignIn(student)"],
        "the password is never printed"
    );
    assert!(app.sign_in.as_ref().unwrap().busy);
}

/// OSC 52 has no answer: the flash says the text was sent, as information, never "[ok]".
/// When tmux refuses the text, the copy goes out again through the terminal, and neither the
/// action nor the effect shows the text in a log.
#[test]
fn a_copy_no_one_confirms_is_information_and_a_refused_one_goes_through_the_terminal() {
    let mut app = app();
    update(
        &mut app,
        Action::Copied {
            what: "token",
            result: Ok(Delivery::Terminal {
                through_tmux: false,
            }),
        },
    );
    let flash = app.flash.clone().unwrap();
    assert_eq!(flash.kind, FlashKind::Info);
    assert_eq!(flash.kind.mark(), "[info]");
    assert_eq!(
        flash.text,
        "Token sent to the terminal's clipboard (OSC 52); none confirms it"
    );
    let refused = Action::CopyRefused {
        what: "token",
        text: Token::new("eyJsecret"),
        why: "tmux load-buffer failed: no server".into(),
    };
    assert!(!format!("{refused:?}").contains("eyJsecret"));
    let fx = update(&mut app, refused);
    match fx.as_slice() {
        [
            Effect::Copy {
                what: "token",
                text,
                through_terminal: true,
            },
        ] => assert_eq!(text.as_str(), "eyJsecret"),
        other => panic!("{other:?}"),
    }
    assert!(!format!("{fx:?}").contains("eyJsecret"));
}

/// In the week view, Enter on identical events merged as `{name}, Multiple` opens their day,
/// where they stand apart; Enter on any other event opens its detail (FE
/// `weekly-calendar.gjs` `selectEvent`: `if (event.isMulti) changeToDayView`).
#[test]
fn enter_on_merged_events_in_the_week_opens_their_day() {
    let mut app = app();
    let fx = update(&mut app, key('5'));
    let asked = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadCalendar { span, school, seq } => Some((*span, *school, *seq)),
            _ => None,
        })
        .expect("the week is asked for");
    let event = |name: &str, start: &str| -> ilios_tui::api::models::UserEvent {
        serde_json::from_value(serde_json::json!({
            "name": name,
            "startDate": start,
            "endDate": "2027-02-18T18:00:00Z",
            "offering": 1,
            "isPublished": true,
            "isScheduled": false,
        }))
        .unwrap()
    };
    let events = vec![
        event("Small group", "2027-02-18T17:00:00Z"),
        event("Small group", "2027-02-18T17:00:00Z"),
        event("Lecture", "2027-02-18T16:00:00Z"),
    ];
    let (span, school, seq) = asked;
    let generation = app.generation;
    update(
        &mut app,
        answered(
            generation,
            Answer::Calendar {
                span,
                school,
                seq,
                result: Ok(events),
            },
        ),
    );
    let listed = app.calendar.listed(span).ready().copied().unwrap();
    let listed: Vec<&str> = listed.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(listed, ["Lecture", "Small group, Multiple"]);
    // The lecture opens its detail.
    update(&mut app, key('j'));
    update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.dialog, Some(Dialog::EventDetail(_))));
    update(&mut app, code(KeyCode::Esc));
    // The merged ones open Thursday's day view, which asks for that day.
    update(&mut app, key('j'));
    let fx = update(&mut app, code(KeyCode::Enter));
    assert!(app.dialog.is_none());
    assert_eq!(
        app.calendar.view,
        ilios_tui::domain::calendar::CalendarView::Day
    );
    assert_eq!(
        app.calendar.date,
        NaiveDate::from_ymd_opt(2027, 2, 18).unwrap()
    );
    assert!(
        names(&fx)
            .iter()
            .any(|n| n.starts_with("LoadCalendar(2027-02-18..2027-02-18")),
        "{fx:?}"
    );
}
