//! Manage API Tokens: the create form (keyboard calendar) and the invalidate confirm, as one
//! overlay over My Profile.

use crossterm::event::KeyEvent;
use zeroize::Zeroizing;

use crate::api::{ApiError, Token};
use crate::domain::tokens::{CalendarState, ttl_until};
use crate::domain::week::WeekStart;
use crate::ui::tokens::{INVALIDATED, TokenAction, TokenForm};
use crate::ui::widgets::confirm::{ConfirmChoice, ConfirmState};

use super::action::Effect;
use super::keymap::Command;
use super::state::{App, FlashKind, Overlay, Session};
use super::update::{flash, session_error};

#[derive(Debug)]
pub enum TokenOverlay {
    Form(TokenForm),
    Confirm(ConfirmState),
}

fn weekday(start: WeekStart) -> chrono::Weekday {
    match start {
        WeekStart::Sunday => chrono::Weekday::Sun,
        WeekStart::Monday => chrono::Weekday::Mon,
    }
}

pub fn open(app: &mut App, command: Command) {
    let Some(session) = &app.session else { return };
    let overlay = match command {
        Command::NewToken => {
            let calendar = CalendarState::for_token(
                &app.now.local,
                session.claims.first_created(),
                weekday(app.settings.week_start),
            );
            TokenOverlay::Form(TokenForm::open(calendar))
        }
        _ => TokenOverlay::Confirm(ConfirmState::new()),
    };
    app.overlay = Some(Overlay::Tokens(overlay));
}

pub fn key(
    app: &mut App,
    overlay: TokenOverlay,
    key: KeyEvent,
    fx: &mut Vec<Effect>,
) -> Option<Overlay> {
    match overlay {
        TokenOverlay::Form(mut form) => {
            match form.handle_key(key) {
                TokenAction::None => {}
                TokenAction::Close => return None,
                TokenAction::Create(date) => match ttl_until(&app.now.local, date) {
                    // The ttl is computed at the moment of sending, as Ilios does.
                    Some(ttl) => fx.push(Effect::CreateToken { ttl }),
                    None => form.fail("That date has already ended; pick a later one."),
                },
                TokenAction::Copy => {
                    if let TokenForm::Created { token, .. } = &form {
                        let text = Zeroizing::new(token.expose().to_string());
                        fx.push(Effect::Copy {
                            what: "token",
                            text,
                        });
                    }
                }
            }
            Some(Overlay::Tokens(TokenOverlay::Form(form)))
        }
        TokenOverlay::Confirm(mut state) => match state.handle_key(key) {
            Some(ConfirmChoice::Yes) => {
                state.busy = true;
                app.invalidating = true;
                fx.push(Effect::InvalidateTokens);
                Some(Overlay::Tokens(TokenOverlay::Confirm(state)))
            }
            Some(ConfirmChoice::Cancel) => None,
            None => Some(Overlay::Tokens(TokenOverlay::Confirm(state))),
        },
    }
}

pub fn on_created(app: &mut App, result: Result<Token, ApiError>, fx: &mut Vec<Effect>) {
    let Some(Overlay::Tokens(TokenOverlay::Form(form))) = &mut app.overlay else {
        return; // the form was closed meanwhile; the token is dropped (and zeroed)
    };
    match result {
        Ok(token) => form.created(token),
        Err(ApiError::BadRequest { message, .. }) => form.fail(message),
        Err(e) if e.is_unauthorized() => {
            app.overlay = None;
            session_error(app, e, fx);
        }
        Err(e) => form.fail(e.to_string()),
    }
}

/// Ilios answers with a fresh session token: swap to it at once so the app goes on working.
pub fn on_invalidated(app: &mut App, result: Result<Token, ApiError>, fx: &mut Vec<Effect>) {
    if matches!(app.overlay, Some(Overlay::Tokens(TokenOverlay::Confirm(_)))) {
        app.overlay = None;
    }
    app.invalidating = false;
    // Whatever was refused meanwhile goes out again, with the new token if there is one.
    fx.append(&mut app.deferred);
    match result {
        Ok(token) => {
            let source = app.session.as_ref().map(|s| s.source.clone());
            match source.map(|source| Session::new(token.clone(), source)) {
                Some(Ok(session)) => {
                    app.session = Some(session);
                    app.token_epoch += 1;
                    // Every older token is dead: keep the new one on disk, and say so if that
                    // fails (Action::SessionNotSaved), so it is never silently lost.
                    fx.push(Effect::StoreSession {
                        token,
                        always: true,
                    });
                    flash(app, FlashKind::Success, INVALIDATED.into(), fx);
                }
                Some(Err(why)) => flash(app, FlashKind::Alert, why, fx),
                None => {}
            }
        }
        Err(e) if e.is_unauthorized() => session_error(app, e, fx),
        Err(e) => flash(
            app,
            FlashKind::Alert,
            format!("Tokens were not invalidated: {e}"),
            fx,
        ),
    }
}
