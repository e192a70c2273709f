//! The whole shell (header, tabs, pane, overlays, footer) drawn at 80x24 and 120x40 against the
//! embedded server, for the student and Nicholas.
//!
//! The demo server's port and everything that follows the calendar (week titles, dates, the
//! token's time left, the week number in the checkpoint's name) are redacted so the snapshots
//! hold on any day. The clock the panes read is set to the first moment of this week, so
//! "Coming Up" lists the same events whatever the day.

mod common;

use chrono::{Local, TimeZone};
use common::headless::Headless;
use crossterm::event::KeyCode;
use ilios_tui::api::Token;
use ilios_tui::app::state::{Now, Session};
use ilios_tui::config::TokenSource;
use ilios_tui::demo::{Persona, TokenSpec};
use ilios_tui::domain::Loadable;
use ilios_tui::domain::week::Week;

/// Replaces what changes with the day and the run by fixed words: the server's port, week
/// titles, dates in every format the panes use, the checkpoint's week number and the academic
/// year. (insta's regex filters are a feature this crate does not enable; the strings are known.)
fn redact(h: &Headless, text: String) -> String {
    let mut known: Vec<(String, &str)> = vec![(
        h.server.url().trim_start_matches("http://").to_string(),
        "127.0.0.1:PORT",
    )];
    let this = h.app.this_week;
    let mut w = Week {
        first: this.first - chrono::Duration::days(35),
    };
    for _ in 0..14 {
        known.push((w.title(), "[WEEK]"));
        w = w.next();
    }
    for i in -42..70 {
        let d = this.first + chrono::Duration::days(i);
        for f in [
            "%A, %B %-d, %Y",
            "%B %-d, %Y",
            "%a %b %-d",
            "%b %-d, %Y",
            "%m/%d/%Y",
            "%Y-%m-%d",
            "%B %-d",
            "%b %-d",
        ] {
            known.push((d.format(f).to_string(), "[DATE]"));
        }
    }
    known.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    let mut text = text;
    for (k, v) in known {
        text = text.replace(&k, v);
    }
    let text = after_word(&text, "Weekly Checkpoint ", |c| c.is_ascii_digit(), "N");
    after_word(
        &text,
        "Academic Year: ",
        |c| c.is_ascii_digit() || c == ' ' || c == '-',
        "[YEAR] ",
    )
}

/// Replaces the run of `keep` characters right after each `word` by `by`.
fn after_word(text: &str, word: &str, keep: impl Fn(char) -> bool, by: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let (head, tail) = rest.split_at(at + word.len());
        out.push_str(head);
        let n = tail.find(|c: char| !keep(c)).unwrap_or(tail.len());
        if n > 0 {
            out.push_str(by);
        }
        rest = &tail[n..];
    }
    out.push_str(rest);
    out
}

fn snap(h: &mut Headless, name: &str, (w, rows): (u16, u16)) {
    let mut screen = String::new();
    for l in h.screen(w, rows).lines() {
        screen.push_str(
            l.strip_prefix('"')
                .and_then(|l| l.strip_suffix('"'))
                .unwrap_or(l),
        );
        screen.push('\n');
    }
    let text = redact(h, screen);
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(true);
    s.bind(|| insta::assert_snapshot!(name, text));
}

/// The clock read by drawing: Sunday (the first day of this week) 00:00 local, and a session
/// token that expires 8 hours later, so "Coming Up" and the token's time left are the same on
/// any day. Only for drawing: the server is asked nothing after this.
fn freeze(h: &mut Headless) {
    let start = h.app.this_week.first.and_hms_opt(0, 0, 0).unwrap();
    let local = Local
        .from_local_datetime(&start)
        .earliest()
        .unwrap_or_else(|| Local.from_utc_datetime(&start));
    h.app.now = Now {
        instant: h.app.now.instant,
        local,
    };
    // "Coming Up" is computed from the clock when weeks arrive and on the minute tick.
    ilios_tui::app::views::refresh_upcoming(&mut h.app);
    let Some(old) = &h.app.session else { return };
    let at = local.timestamp();
    let token = h.server.mint_token(TokenSpec {
        user_id: old.user_id,
        iat: at,
        exp: at + 8 * 3600,
        first_created_at: at,
        refresh_count: 0,
    });
    h.app.session = Some(Session::new(Token::new(token), TokenSource::Env).unwrap());
}

async fn ready(persona: Persona) -> Headless {
    let mut h = Headless::start(persona).await;
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
    freeze(&mut h);
    h
}

#[tokio::test]
async fn student_dashboard() {
    let mut h = ready(Persona::Student).await;
    freeze(&mut h);
    snap(&mut h, "student_dashboard_80x24", (80, 24));
    snap(&mut h, "student_dashboard_120x40", (120, 40));
}

#[tokio::test]
async fn nicholas_dashboard() {
    let mut h = ready(Persona::Nicholas).await;
    freeze(&mut h);
    snap(&mut h, "nicholas_dashboard_80x24", (80, 24));
    snap(&mut h, "nicholas_dashboard_120x40", (120, 40));
}

#[tokio::test]
async fn student_week_at_a_glance() {
    let mut h = ready(Persona::Student).await;
    h.char('2');
    freeze(&mut h);
    snap(&mut h, "student_week_80x24", (80, 24));
    snap(&mut h, "student_week_120x40", (120, 40));
    // j selects the first event: the gutter and the reversed title.
    h.char('j');
    h.key(KeyCode::Enter);
    freeze(&mut h);
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
    freeze(&mut h);
    snap(&mut h, "help_80x24", (80, 24));
    snap(&mut h, "help_120x40", (120, 40));
}

#[tokio::test]
async fn user_menu() {
    let mut h = ready(Persona::Nicholas).await;
    h.char('u');
    freeze(&mut h);
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
    freeze(&mut h);
    snap(&mut h, "sign_in_80x24", (80, 24));
    snap(&mut h, "sign_in_120x40", (120, 40));
}
