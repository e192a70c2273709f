//! `update(state, action) -> effects`: the only place state changes. No I/O here; time comes in
//! through `app.now`, set by the runtime.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;
use zeroize::Zeroizing;

use crate::api::ApiError;
use crate::api::Token;
use crate::config::TokenSource;
use crate::domain::Loadable;
use crate::domain::week::Week;

use super::action::{Action, Effect};
use super::keymap::Command;
use super::state::*;
use super::{tokens, views};

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    match action {
        Action::Key(key) => on_key(app, key, &mut fx),
        Action::Paste(text) => on_paste(app, &text),
        Action::Resize(w, h) => app.size = (w, h),
        Action::Tick => views::refresh_upcoming(app),
        Action::FlashExpired(id) if app.flash_id == id => app.flash = None,
        Action::Terminate => app.quit = true,
        Action::AppConfigLoaded(result) => on_app_config(app, result),
        Action::UserLoaded { generation, epoch, result } if generation == app.generation => {
            match result {
                Err(e) if stale_401(app, epoch, &e) => retry(app, vec![Effect::LoadUser], &mut fx),
                result => on_user(app, result, &mut fx),
            }
        }
        Action::WeekLoaded { generation, epoch, week, seq, result } if generation == app.generation => {
            match result {
                Err(e) if stale_401(app, epoch, &e) => {
                    let mut again = Vec::new();
                    reload_week(app, week, &mut again);
                    retry(app, again, &mut fx);
                }
                result => {
                    let (zone, now) = (app.now.zone, app.now.utc());
                    let result = result.map(|ev| super::week_answer::prepare(ev, &zone, now));
                    on_week(app, week, seq, result, &mut fx)
                }
            }
        }
        Action::WeekPrepared { generation, epoch, week, seq, result } if generation == app.generation => {
            match result {
                Err(e) if stale_401(app, epoch, &e) => {
                    let mut again = Vec::new();
                    reload_week(app, week, &mut again);
                    retry(app, again, &mut fx);
                }
                result => on_week(app, week, seq, result, &mut fx),
            }
        }
        Action::ProfilePart { generation, epoch, seq, part } if generation == app.generation => {
            if let Err(e) = views::apply_profile_part(app, seq, part) {
                if stale_401(app, epoch, &e) {
                    // Asked with the token that was just replaced: ask again with the new one.
                    app.user = Loadable::Loading;
                    retry(app, vec![Effect::LoadUser], &mut fx);
                } else {
                    session_error(app, e, &mut fx);
                }
            }
        }
        Action::TokenCreated { generation, epoch, result } if generation == app.generation => {
            match result {
                Err(e) if stale_401(app, epoch, &e) => tokens::on_created(
                    app,
                    Err(ApiError::BadRequest {
                        host: app.server_host.clone(),
                        message: "The session changed while the token was being created; press Enter to try again."
                            .into(),
                    }),
                    &mut fx,
                ),
                result => tokens::on_created(app, result, &mut fx),
            }
        }
        Action::TokensInvalidated { generation, result } if generation == app.generation => {
            tokens::on_invalidated(app, result, &mut fx)
        }
        Action::SignedIn(result) => {
            on_signed_in(app, result.map(|t| (t, TokenSource::SignIn)), &mut fx)
        }
        Action::TokenChecked { token, result } => {
            on_signed_in(app, result.map(|_| (token, TokenSource::SignIn)), &mut fx)
        }
        Action::SessionNotSaved(why) => flash(
            app,
            FlashKind::Alert,
            format!(
                "The new token could NOT be saved ({why}). It works in this session only: \
                 until you quit. Free the disk or fix the state folder, then sign in again."
            ),
            &mut fx,
        ),
        Action::Copied { what, result } => match result {
            Ok(()) => flash(
                app,
                FlashKind::Success,
                "Copied successfully".into(),
                &mut fx,
            ),
            Err(e) => flash(
                app,
                FlashKind::Alert,
                format!("Could not copy the {what}: {e}"),
                &mut fx,
            ),
        },
        // An answer for a session that has since ended.
        _ => {}
    }
    fx
}

/// Starts a session: the shell loads what it shows at once, concurrently.
pub fn start_session(app: &mut App, session: Session, fx: &mut Vec<Effect>) {
    app.generation += 1;
    app.session = Some(session);
    app.sign_in = None;
    app.user = Loadable::Loading;
    app.weeks.clear();
    app.upcoming = Loadable::Loading;
    app.profile = Default::default();
    // Another person's (or a logged-out session's) selections and scroll mean nothing here.
    app.dashboard_view = Default::default();
    app.week_view = Default::default();
    fx.push(Effect::LoadUser);
    load_week(app, app.this_week, fx);
}

pub fn flash(app: &mut App, kind: FlashKind, text: String, fx: &mut Vec<Effect>) {
    let id = app.seq();
    let f = Flash::new(kind, text, app.now.instant);
    if let Some(at) = f.expires_at() {
        fx.push(Effect::ExpireFlash {
            id,
            after: at - f.shown_at,
        });
    }
    app.flash_id = id;
    app.flash = Some(f);
}

/// Fetches a week unless it is cached (or `force`).
pub fn load_week(app: &mut App, week: Week, fx: &mut Vec<Effect>) {
    if app
        .weeks
        .get(&week)
        .is_some_and(|e| !matches!(e.events, Loadable::Failed(_)))
    {
        return;
    }
    reload_week(app, week, fx);
}

fn reload_week(app: &mut App, week: Week, fx: &mut Vec<Effect>) {
    let seq = app.seq();
    let entry = app.weeks.entry(week).or_default();
    entry.seq = seq;
    if !matches!(entry.events, Loadable::Ready(_)) {
        entry.events = Loadable::Loading;
        entry.glance = Loadable::Loading;
    }
    fx.push(Effect::LoadWeek { week, seq });
}

/// A 401 for a request sent with a token that has since been replaced (invalidation swaps the
/// token while other requests are in flight): not the end of the session.
/// While an invalidation runs (Ilios takes a second over it), the old token is already refused.
fn stale_401(app: &App, epoch: u64, err: &ApiError) -> bool {
    err.is_unauthorized() && (epoch != app.token_epoch || app.invalidating)
}

/// Sends the retries now, or after the new token arrives when an invalidation is running.
fn retry(app: &mut App, effects: Vec<Effect>, fx: &mut Vec<Effect>) {
    if app.invalidating {
        app.deferred.extend(effects);
    } else {
        fx.extend(effects);
    }
}

/// A request failed. A 401 ends the session (keeping everything on screen); the rest is a flash.
pub fn session_error(app: &mut App, err: ApiError, fx: &mut Vec<Effect>) {
    tracing::warn!("request failed: {err}");
    if let ApiError::Unauthorized { reason, .. } = &err {
        // Already ended and signing in again: later 401s of the old session change nothing.
        if app.sign_in.is_none() && !matches!(app.overlay, Some(Overlay::SessionEnded { .. })) {
            app.overlay = Some(Overlay::SessionEnded {
                reason: reason.clone(),
            });
        }
        return;
    }
    flash(app, FlashKind::Alert, err.to_string(), fx);
}

fn on_app_config(app: &mut App, result: Result<crate::api::models::ApplicationConfig, ApiError>) {
    if let Some(sign_in) = &mut app.sign_in {
        sign_in.mode = match &result {
            Ok(c) if c.has_password_login() => Loadable::Ready(SignInMode::Password),
            Ok(_) => Loadable::Ready(SignInMode::Token),
            Err(e) => Loadable::Failed(e.to_string()),
        };
    }
    app.app_config = result.into();
    views::app_config_changed(app);
}

fn on_user(
    app: &mut App,
    result: Result<crate::api::models::User, ApiError>,
    fx: &mut Vec<Effect>,
) {
    match result {
        Ok(user) => {
            // The profile's second wave starts as soon as the user record is here, so pane 3 is
            // ready before anyone opens it.
            let seq = app.seq();
            views::start_profile(app, seq, &user);
            fx.push(Effect::LoadProfile {
                seq,
                user: Box::new(user.clone()),
            });
            app.user = Loadable::Ready(user);
        }
        Err(e) => {
            app.user = Loadable::Failed(e.to_string());
            session_error(app, e, fx);
        }
    }
}

fn on_week(
    app: &mut App,
    week: Week,
    seq: u64,
    result: Result<super::week_answer::PreparedWeek, ApiError>,
    fx: &mut Vec<Effect>,
) {
    let Some(entry) = app.weeks.get_mut(&week) else {
        return;
    };
    if entry.seq != seq {
        return; // a newer request for this week replaced this one
    }
    match result {
        Ok(prepared) => {
            // Built off the UI thread (see `week_answer`): only stored here.
            entry.glance = Loadable::Ready(prepared.glance);
            entry.events = Loadable::Ready(prepared.events);
        }
        Err(e) => {
            if !matches!(entry.events, Loadable::Ready(_)) {
                entry.events = Loadable::Failed(e.to_string());
                entry.glance = Loadable::Failed(e.to_string());
            }
            session_error(app, e, fx);
        }
    }
    if week == app.this_week || week == app.this_week.next() {
        views::refresh_upcoming(app);
    }
    // "What comes next" on the Dashboard looks 7 days ahead: next week too.
    let loaded = app
        .weeks
        .get(&week)
        .is_some_and(|e| matches!(e.events, Loadable::Ready(_)));
    if loaded && week == app.this_week && app.session.is_some() {
        load_week(app, week.next(), fx);
    }
}

fn on_signed_in(
    app: &mut App,
    result: Result<(Token, TokenSource), ApiError>,
    fx: &mut Vec<Effect>,
) {
    let failed = |app: &mut App, msg: String| {
        if let Some(s) = &mut app.sign_in {
            s.busy = false;
            s.error = Some(msg);
        }
    };
    match result {
        Ok((token, source)) => match Session::new(token.clone(), source) {
            Ok(session) => {
                // The session that ended (kept until logout), not the user record: a 401 on the
                // user's own request has just replaced that record with the failure.
                let was_signed_in = app.session.as_ref().map(|s| s.user_id);
                let same_user = was_signed_in == Some(session.user_id);
                fx.push(Effect::StoreSession {
                    token,
                    always: true,
                });
                if same_user {
                    // Same person after a 401: keep everything on screen, just swap the token.
                    app.session = Some(session);
                    app.token_epoch += 1;
                    app.sign_in = None;
                    refresh(app, fx);
                } else {
                    start_session(app, session, fx);
                }
            }
            Err(msg) => failed(app, msg),
        },
        Err(e) => failed(app, e.to_string()),
    }
}

fn on_paste(app: &mut App, text: &str) {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if let Some(sign_in) = &mut app.sign_in
        && app.overlay.is_none()
    {
        let area = match (sign_in.mode.ready(), sign_in.focus) {
            (Some(SignInMode::Token), _) => &mut sign_in.token,
            (_, SignInField::Username) => &mut sign_in.username,
            (_, SignInField::Password) => &mut sign_in.password,
        };
        area.insert_str(clean);
    } else if let Some(Overlay::GoToDate { input, .. }) = &mut app.overlay {
        input.insert_str(clean);
    }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('c'))
}

fn on_key(app: &mut App, key: KeyEvent, fx: &mut Vec<Effect>) {
    if key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('z')) {
        fx.push(Effect::Suspend);
        return;
    }
    if is_ctrl_c(&key) {
        app.quit = true;
        return;
    }
    // A flash: Esc dismisses it; an alert stays until any key is pressed.
    if let Some(f) = &app.flash {
        let alert = f.kind == FlashKind::Alert;
        if key.code == KeyCode::Esc && app.overlay.is_none() {
            app.flash = None;
            return;
        }
        if alert {
            app.flash = None;
        }
    }
    if app.overlay.is_some() {
        on_overlay_key(app, key, fx);
        return;
    }
    if app.sign_in.is_some() {
        on_sign_in_key(app, key, fx);
        return;
    }
    let Some(command) = app.settings.keymap.lookup(&key, app.pane.scopes()) else {
        return;
    };
    on_command(app, command, fx);
}

fn on_command(app: &mut App, command: Command, fx: &mut Vec<Effect>) {
    match command {
        Command::Quit => app.quit = true,
        Command::Help => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Command::Refresh => refresh(app, fx),
        Command::Dashboard => switch_pane(app, Pane::Dashboard, fx),
        Command::WeekPane => switch_pane(app, Pane::Week, fx),
        Command::ProfilePane => switch_pane(app, Pane::Profile, fx),
        Command::NextPane => switch_pane(app, app.pane.cycle(true), fx),
        Command::PrevPane => switch_pane(app, app.pane.cycle(false), fx),
        Command::UserMenu => app.overlay = Some(Overlay::UserMenu { selected: 0 }),
        Command::PrevWeek => browse(app, app.browse_week.previous(), fx),
        Command::NextWeek => browse(app, app.browse_week.next(), fx),
        Command::ThisWeek => browse(app, app.this_week, fx),
        Command::GoToDate => {
            let mut input = TextArea::default();
            input.set_placeholder_text("YYYY-MM-DD");
            app.overlay = Some(Overlay::GoToDate { input, error: None });
        }
        Command::NewToken | Command::InvalidateTokens => tokens::open(app, command),
        other => views::pane_command(app, other, fx),
    }
}

fn switch_pane(app: &mut App, pane: Pane, fx: &mut Vec<Effect>) {
    app.pane = pane;
    if pane == Pane::Week {
        load_week(app, app.browse_week, fx);
    }
}

fn browse(app: &mut App, week: Week, fx: &mut Vec<Effect>) {
    app.browse_week = week;
    views::week_changed(app);
    load_week(app, week, fx);
}

/// `r`: reload what the current pane shows (the header's user comes with the profile).
pub fn refresh(app: &mut App, fx: &mut Vec<Effect>) {
    if app.session.is_none() {
        return;
    }
    match app.pane {
        Pane::Dashboard => reload_week(app, app.this_week, fx),
        Pane::Week => reload_week(app, app.browse_week, fx),
        // The header keeps the name while the user record and its wave reload.
        Pane::Profile => fx.push(Effect::LoadUser),
    }
    if matches!(app.app_config, Loadable::Failed(_)) {
        fx.push(Effect::LoadAppConfig);
    }
}

fn on_overlay_key(app: &mut App, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(overlay) = app.overlay.take() else {
        return;
    };
    app.overlay = match overlay {
        Overlay::Help { scroll } => match key.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => None,
            KeyCode::Down | KeyCode::Char('j') => Some(Overlay::Help {
                scroll: scroll.saturating_add(1),
            }),
            KeyCode::Up | KeyCode::Char('k') => Some(Overlay::Help {
                scroll: scroll.saturating_sub(1),
            }),
            KeyCode::PageDown => Some(Overlay::Help {
                scroll: scroll.saturating_add(10),
            }),
            KeyCode::PageUp => Some(Overlay::Help {
                scroll: scroll.saturating_sub(10),
            }),
            _ => Some(Overlay::Help { scroll }),
        },
        Overlay::UserMenu { selected } => user_menu_key(app, selected, key, fx),
        Overlay::SessionEnded { reason } => match key.code {
            KeyCode::Enter => {
                app.sign_in = Some(SignIn::new(Some(format!(
                    "Your session has ended: {reason}"
                ))));
                fx.push(Effect::LoadAppConfig);
                None
            }
            KeyCode::Char('q') => {
                app.quit = true;
                None
            }
            _ => Some(Overlay::SessionEnded { reason }),
        },
        Overlay::GoToDate { mut input, error } => match key.code {
            KeyCode::Esc => None,
            KeyCode::Enter => {
                let text = input.lines().join("");
                let text = text.trim();
                match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    // Weeks around chrono's first and last dates overflow; Ilios has none there.
                    Ok(date) if (1..=9999).contains(&chrono::Datelike::year(&date)) => {
                        app.pane = Pane::Week;
                        browse(app, Week::containing(date, app.settings.week_start), fx);
                        None
                    }
                    parsed => Some(Overlay::GoToDate {
                        error: Some(match parsed {
                            Ok(_) => format!(
                                "\"{text}\" is outside the years 1 to 9999: pick a date in them"
                            ),
                            Err(_) => format!("\"{text}\" is not a date like 2026-03-10"),
                        }),
                        input,
                    }),
                }
            }
            _ => {
                input.input(key);
                Some(Overlay::GoToDate { input, error })
            }
        },
        Overlay::EventDetail { index, detail } => views::detail_key(app, index, detail, key, fx),
        Overlay::Tokens(t) => tokens::key(app, t, key, fx),
    };
}

fn user_menu_key(
    app: &mut App,
    selected: usize,
    key: KeyEvent,
    fx: &mut Vec<Effect>,
) -> Option<Overlay> {
    let n = USER_MENU_ITEMS.len();
    match key.code {
        KeyCode::Down | KeyCode::Char('j') => Some(Overlay::UserMenu {
            selected: (selected + 1) % n,
        }),
        KeyCode::Up | KeyCode::Char('k') => Some(Overlay::UserMenu {
            selected: (selected + n - 1) % n,
        }),
        KeyCode::Enter => {
            match selected {
                0 => switch_pane(app, Pane::Profile, fx),
                _ => logout(app, fx),
            }
            None
        }
        KeyCode::Esc | KeyCode::Tab | KeyCode::Left | KeyCode::Right | KeyCode::Char('u') => None,
        _ => Some(Overlay::UserMenu { selected }),
    }
}

fn logout(app: &mut App, fx: &mut Vec<Effect>) {
    fx.push(Effect::Logout);
    app.generation += 1;
    app.session = None;
    app.user = Loadable::Loading;
    app.weeks.clear();
    app.profile = Default::default();
    app.sign_in = Some(SignIn::new(Some("You have logged out.".into())));
    fx.push(Effect::LoadAppConfig);
}

fn on_sign_in_key(app: &mut App, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(s) = &mut app.sign_in else { return };
    if s.busy {
        if key.code == KeyCode::Esc {
            app.quit = true;
        }
        return;
    }
    let mode = s.mode.ready().copied();
    match key.code {
        KeyCode::Esc => app.quit = true,
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down
            if mode == Some(SignInMode::Password) =>
        {
            s.focus = match s.focus {
                SignInField::Username => SignInField::Password,
                SignInField::Password => SignInField::Username,
            };
        }
        KeyCode::Enter => match mode {
            Some(SignInMode::Password) => {
                let username = s.username.lines().join("").trim().to_string();
                let password = Zeroizing::new(s.password.lines().join(""));
                if username.is_empty() {
                    s.error = Some("Enter your username.".into());
                    s.focus = SignInField::Username;
                } else if s.focus == SignInField::Username {
                    s.focus = SignInField::Password;
                } else if password.is_empty() {
                    s.error = Some("Enter your password.".into());
                } else {
                    s.busy = true;
                    s.error = None;
                    fx.push(Effect::SignIn { username, password });
                }
            }
            Some(SignInMode::Token) => {
                let text = Zeroizing::new(s.token.lines().join(""));
                if text.trim().is_empty() {
                    s.error = Some(
                        "Paste an API token made on the My Profile page of the web client.".into(),
                    );
                } else {
                    s.busy = true;
                    s.error = None;
                    fx.push(Effect::CheckToken(Token::new(text.trim())));
                }
            }
            None => fx.push(Effect::LoadAppConfig),
        },
        _ => {
            let area = match (mode, s.focus) {
                (Some(SignInMode::Token), _) => &mut s.token,
                (_, SignInField::Username) => &mut s.username,
                (_, SignInField::Password) => &mut s.password,
            };
            // Single-line inputs: Ctrl-M would insert a newline.
            let newline =
                key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('m');
            if !newline {
                area.input(key);
            }
        }
    }
}
