//! `update(state, action) -> effects`: the only place state changes. No I/O here; time comes in
//! through `app.now`, set by the runtime.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::ApiError;
use crate::api::Token;
use crate::config::TokenSource;
use crate::domain::Loadable;
use crate::domain::week::Week;

use super::action::{Action, Answer, Effect, Stamp};
use super::dialogs::{
    Dialog, EventDetail, GoToDate, Help, MaterialDetail, SignIn, Step, UserMenu, tokens,
};
use super::keymap::Command;
use super::last_known;
use super::panes::calendar;
use super::state::*;
use crate::ui::tokens::INVALIDATED;

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    match action {
        Action::Key(key) => {
            for key in split_escape(app, key) {
                on_key(app, key, &mut fx);
            }
        }
        Action::Paste(text) => on_paste(app, &text),
        Action::Resize(w, h) => app.size = (w, h),
        Action::Tick => app.refresh_upcoming(),
        Action::FlashExpired(id) if app.flash_id == id => app.flash = None,
        Action::Terminate => app.quit = true,
        Action::AppConfigLoaded(result) => on_app_config(app, result, &mut fx),
        Action::Answer { stamp, answer } => on_answer(app, stamp, answer, &mut fx),
        Action::SignedIn(result) => {
            on_signed_in(app, result.map(|t| (t, TokenSource::SignIn)), &mut fx)
        }
        Action::TokenChecked { token, result } => {
            on_signed_in(app, result.map(|_| (token, TokenSource::SignIn)), &mut fx)
        }
        Action::SessionNotSaved(why) => app.flash(
            FlashKind::Alert,
            format!(
                "The new token could NOT be saved ({why}). It works in this session only: \
                 until you quit. Free the disk or fix the state folder, then sign in again."
            ),
            &mut fx,
        ),
        Action::CopyRefused { what, text, why } => {
            tracing::warn!("tmux did not take the {what}: {why}");
            fx.push(Effect::Copy {
                what,
                text: zeroize::Zeroizing::new(text.expose().to_string()),
                through_terminal: true,
            });
        }
        Action::Copied { what, result } => match result {
            Ok(delivery) => {
                // Only a copy tmux confirmed is a success; OSC 52 was sent, nothing more.
                let kind = if delivery.confirmed() {
                    FlashKind::Success
                } else {
                    FlashKind::Info
                };
                let note = delivery.describe(what);
                if let Some(Dialog::NewToken(form)) = &mut app.dialog {
                    form.copied(note.clone());
                }
                if let Some(plain) = &mut app.plain {
                    plain.footer = format!("{note}. Any key goes back.");
                }
                app.flash(kind, note, &mut fx)
            }
            Err(e) => app.flash(
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
    last_known::forget_cached_profile(app);
    app.calendar = calendar::CalendarPane::new(app.now.today());
    // Never another session's materials (or their status record ids) or shown link.
    app.materials = Default::default();
    app.material_statuses = Default::default();
    app.plain = None;
    // Another person's (or a logged-out session's) selections and scroll mean nothing here.
    app.dashboard_view = Default::default();
    app.week_view = Default::default();
    fx.push(Effect::LoadUser);
    load_week(app, app.this_week, fx);
    load_material_statuses(app, fx);
    // Last-known answers from disk, drawn until these fresh ones arrive.
    fx.push(Effect::ReadCache);
}

/// Fetches a week unless it is in memory and fresh, or already asked for.
pub fn load_week(app: &mut App, week: Week, fx: &mut Vec<Effect>) {
    if app.weeks.get(&week).is_some_and(|e| {
        e.in_flight || (e.as_of.is_none() && !matches!(e.timeline, Loadable::Failed(_)))
    }) {
        return;
    }
    reload_week(app, week, fx);
}

/// The weeks worth having: the Dashboard's (this and next), the one browsed, and their
/// neighbours. A prefetch for any other week is dropped.
fn wanted_weeks(app: &App) -> [Week; 6] {
    let (this, browsed) = (app.this_week, app.browse_week);
    [
        this,
        this.next(),
        this.previous(),
        browsed,
        browsed.next(),
        browsed.previous(),
    ]
}

/// Once `week` is shown, its neighbours are fetched in the background (one request each), so
/// h and l show a loaded week at once.
fn prefetch_neighbours(app: &mut App, week: Week, fx: &mut Vec<Effect>) {
    for neighbour in [week.previous(), week.next()] {
        let asked = fx.len();
        load_week(app, neighbour, fx);
        if fx.len() > asked
            && let Some(entry) = app.weeks.get_mut(&neighbour)
        {
            entry.prefetch = true;
        }
    }
}

/// The person moved on: prefetches still out for weeks no longer next to what is shown are
/// forgotten, so their answers are dropped when they arrive.
fn drop_unwanted_prefetches(app: &mut App) {
    let wanted = wanted_weeks(app);
    app.weeks
        .retain(|week, e| !(e.prefetch && e.in_flight) || wanted.contains(week));
}

fn reload_week(app: &mut App, week: Week, fx: &mut Vec<Effect>) {
    let seq = app.seq();
    let entry = app.weeks.entry(week).or_default();
    entry.seq = seq;
    entry.in_flight = true;
    if !matches!(entry.timeline, Loadable::Ready(_)) {
        entry.timeline = Loadable::Loading;
        entry.glance = Loadable::Loading;
    }
    fx.push(Effect::LoadWeek { week, seq });
}

/// Every answer of a session passes here: one generation guard, one stale-401 check, then the
/// answer goes to its room.
fn on_answer(app: &mut App, stamp: Stamp, answer: Answer, fx: &mut Vec<Effect>) {
    if stamp.generation != app.generation {
        return; // an answer for a session that has since ended
    }
    // The invalidation's own answer is never stale: `invalidating` is true while it runs, and
    // its 401 is a verdict on the session.
    let stale = !matches!(answer, Answer::TokensInvalidated(_))
        && answer
            .error()
            .is_some_and(|e| stale_401(app, stamp.epoch, e));
    if stale {
        on_stale_401(app, answer, fx);
        return;
    }
    match answer {
        Answer::User(result) => on_user(app, result, fx),
        Answer::Week { week, seq, result } => {
            let (zone, now) = (app.now.zone, app.now.utc());
            let result = result.map(|ev| super::week_answer::prepare(ev, &zone, now));
            on_week(app, week, seq, result, fx)
        }
        Answer::WeekPrepared { week, seq, result } => on_week(app, week, seq, result, fx),
        Answer::ProfilePart { seq, part } => last_known::on_profile_part(app, seq, part, fx),
        Answer::Calendar {
            span,
            school,
            seq,
            result,
        } => calendar::receive(app, span, school, seq, result, fx),
        Answer::CalendarSchools { seq, result } => calendar::receive_schools(app, seq, result, fx),
        Answer::CalendarFilterLists {
            school,
            seq,
            result,
        } => calendar::receive_filter_lists(app, school, seq, result, fx),
        Answer::TokenCreated(result) => on_token_created(app, result, fx),
        Answer::TokensInvalidated(result) => on_tokens_invalidated(app, result, fx),
        Answer::Cached(cached) => last_known::on_cached(app, *cached),
        answer @ (Answer::Materials { .. }
        | Answer::MaterialStatusSaved { .. }
        | Answer::MaterialStatuses { .. }) => on_materials_answer(app, answer, fx),
    }
}

/// A 401 for a request sent with a token that has since been replaced (invalidation swaps the
/// token while other requests are in flight): not the end of the session.
/// While an invalidation runs (Ilios takes a second over it), the old token is already refused.
fn stale_401(app: &App, epoch: u64, err: &ApiError) -> bool {
    err.is_unauthorized() && (epoch != app.token_epoch || app.invalidating)
}

/// The one stale-401 path: ask again with the new token (or say so, for a token being created).
fn on_stale_401(app: &mut App, answer: Answer, fx: &mut Vec<Effect>) {
    let again = match answer {
        Answer::User(_) => vec![Effect::LoadUser],
        Answer::Week { week, .. } | Answer::WeekPrepared { week, .. } => {
            let mut again = Vec::new();
            reload_week(app, week, &mut again);
            again
        }
        Answer::ProfilePart { seq, part } => {
            // The part is recorded first; only the current wave asks again.
            let today = app.now.today();
            if last_known::profile_view_for(app, seq)
                .receive(seq, part, today)
                .is_ok()
            {
                return;
            }
            // Asked with the token that was just replaced: ask again with the new one.
            app.user = Loadable::Loading;
            vec![Effect::LoadUser]
        }
        Answer::Calendar { span, school, .. } => {
            let mut again = Vec::new();
            calendar::reload(app, span, school, &mut again);
            again
        }
        Answer::CalendarSchools { .. } | Answer::CalendarFilterLists { .. } => {
            let mut again = Vec::new();
            calendar::ask_again(app, &mut again);
            again
        }
        Answer::TokenCreated(_) => {
            let changed = ApiError::BadRequest {
                host: app.server_host.clone(),
                message:
                    "The session changed while the token was being created; press Enter to try again."
                        .into(),
            };
            on_token_created(app, Err(changed), fx);
            return;
        }
        // Never an error.
        Answer::Cached(_) => return,
        Answer::Materials { .. } => {
            let mut again = Vec::new();
            load_materials(app, &mut again);
            again
        }
        // The status shown is the one asked for: send it again with the new token.
        Answer::MaterialStatusSaved { write, .. } => vec![Effect::SaveMaterialStatus(write)],
        Answer::MaterialStatuses { .. } => {
            let mut again = Vec::new();
            app.material_statuses.requested = false;
            load_material_statuses(app, &mut again);
            again
        }
        // Never stale (see `on_answer`).
        Answer::TokensInvalidated(result) => {
            on_tokens_invalidated(app, result, fx);
            return;
        }
    };
    retry(app, again, fx);
}

/// Sends the retries now, or after the new token arrives when an invalidation is running.
fn retry(app: &mut App, effects: Vec<Effect>, fx: &mut Vec<Effect>) {
    if app.invalidating {
        app.deferred.extend(effects);
    } else {
        fx.extend(effects);
    }
}

fn on_app_config(
    app: &mut App,
    result: Result<crate::api::models::ApplicationConfig, ApiError>,
    fx: &mut Vec<Effect>,
) {
    if let Some(sign_in) = &mut app.sign_in {
        sign_in.mode = match &result {
            Ok(c) if c.has_password_login() => Loadable::Ready(SignInMode::Password),
            Ok(_) => Loadable::Ready(SignInMode::Token),
            Err(e) => Loadable::Failed(e.to_string()),
        };
    }
    app.app_config = result.into();
    // The boxes of every pane, once the server says it keeps statuses.
    load_material_statuses(app, fx);
    let crosses = app.year_crosses_boundary();
    app.profile.app_config_changed(crosses);
    if let Some(fresh) = &mut app.fresh_profile {
        fresh.app_config_changed(crosses);
    }
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
            let crosses = app.year_crosses_boundary();
            app.profile_record.clear();
            if app.profile_as_of.is_some() {
                // The cached profile stays on screen until this wave is whole.
                let mut fresh = super::panes::profile::ProfileView::default();
                fresh.start(seq, &user, crosses);
                app.fresh_profile = Some(fresh);
            } else {
                app.profile.start(seq, &user, crosses);
            }
            fx.push(Effect::LoadProfile {
                seq,
                user: Box::new(user.clone()),
            });
            app.user = Loadable::Ready(user);
        }
        Err(e) => {
            app.user = Loadable::Failed(e.to_string());
            app.session_error(e, fx);
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
    let wanted = wanted_weeks(app).contains(&week);
    let Some(entry) = app.weeks.get_mut(&week) else {
        return; // a prefetch the person moved away from
    };
    if entry.seq != seq {
        return; // a newer request for this week replaced this one
    }
    entry.in_flight = false;
    let unasked_failure =
        entry.prefetch && result.as_ref().err().is_some_and(|e| !e.is_unauthorized());
    if (entry.prefetch && !wanted) || unasked_failure {
        // Nobody is looking at it (any more): a later visit asks again, and says why if it fails.
        app.weeks.remove(&week);
        return;
    }
    match result {
        Ok(prepared) => {
            // Built off the UI thread (see `week_answer`): only stored here.
            entry.glance = Loadable::Ready(prepared.glance);
            entry.timeline = Loadable::Ready(prepared.timeline);
            entry.as_of = None;
            if let Some(answer) = prepared.snapshot {
                fx.push(Effect::RememberWeek { week, answer });
            }
        }
        Err(e) => {
            if !matches!(entry.timeline, Loadable::Ready(_)) {
                entry.timeline = Loadable::Failed(e.to_string());
                entry.glance = Loadable::Failed(e.to_string());
            }
            app.session_error(e, fx);
        }
    }
    if week == app.this_week || week == app.this_week.next() {
        app.refresh_upcoming();
    }
    // "What comes next" on the Dashboard looks 7 days ahead: next week too; and the week
    // before and after the one shown, for h and l.
    let shown = week == app.this_week || week == app.browse_week;
    if shown && is_fresh(app, week) && app.session.is_some() {
        prefetch_neighbours(app, week, fx);
    }
}

/// The week's fresh answer is in memory (not one from disk, not a failure).
fn is_fresh(app: &App, week: Week) -> bool {
    app.weeks
        .get(&week)
        .is_some_and(|e| matches!(e.timeline, Loadable::Ready(_)) && e.as_of.is_none())
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
        && app.dialog.is_none()
    {
        sign_in.paste(clean);
    } else if let Some(Dialog::GoToDate(d)) = &mut app.dialog {
        d.paste(clean);
    } else if app.pane == Pane::Materials && app.materials.filtering {
        app.materials.paste(&clean);
    }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('c'))
}

/// Esc and the next key in one read (a laggy link, tmux's default `escape-time`) arrive as
/// Alt+key. Where Alt+key means nothing, it is what the person typed: Esc, then the key.
fn split_escape(app: &App, key: KeyEvent) -> Vec<KeyEvent> {
    let alt_only =
        key.modifiers.contains(KeyModifiers::ALT) && !key.modifiers.contains(KeyModifiers::CONTROL);
    if !alt_only || app.settings.keymap.binds_anywhere(&key) {
        return vec![key];
    }
    vec![
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
        KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT),
    ]
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
    // The Materials filter line takes every key but Enter and Esc, which end the typing.
    if app.pane == Pane::Materials
        && app.materials.filtering
        && app.dialog.is_none()
        && app.sign_in.is_none()
        && app.plain.is_none()
    {
        if matches!(key.code, KeyCode::Enter | KeyCode::Esc) {
            app.materials.filtering = false;
        } else {
            app.materials.filter_key(key);
        }
        return;
    }
    // A flash: Esc dismisses it; an alert stays until any key is pressed.
    if let Some(f) = &app.flash {
        let alert = f.kind == FlashKind::Alert;
        if key.code == KeyCode::Esc && app.dialog.is_none() {
            app.flash = None;
            return;
        }
        if alert {
            app.flash = None;
        }
    }
    // A text shown alone (the ICS link): any key goes back.
    if app.plain.take().is_some() {
        return;
    }
    if app.dialog.is_some() {
        on_dialog_key(app, key, fx);
        return;
    }
    if let Some(sign_in) = &mut app.sign_in {
        if let Step::Quit = sign_in.key(key, &app.settings.keymap, fx) {
            app.quit = true;
        }
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
        Command::Help => app.dialog = Some(Dialog::Help(Help::default())),
        Command::Refresh => refresh(app, fx),
        Command::Dashboard => switch_pane(app, Pane::Dashboard, fx),
        Command::WeekPane => switch_pane(app, Pane::Week, fx),
        Command::ProfilePane => switch_pane(app, Pane::Profile, fx),
        Command::MaterialsPane => switch_pane(app, Pane::Materials, fx),
        Command::ToggleRange if app.pane == Pane::Materials => {
            app.materials.toggle_range();
            load_materials(app, fx);
        }
        Command::Open if app.pane == Pane::Materials => {
            if let Some(row) = app.materials.selected_row() {
                app.dialog = Some(Dialog::MaterialDetail(MaterialDetail::new(row.clone())));
            }
        }
        Command::CycleStatus if app.pane == Pane::Materials => {
            if let Some(write) = app.materials.cycle_status(&mut app.material_statuses) {
                fx.push(Effect::SaveMaterialStatus(write));
            }
        }
        Command::CalendarPane => switch_pane(app, Pane::Calendar, fx),
        Command::NextPane => switch_pane(app, app.pane.cycle(true), fx),
        Command::PrevPane => switch_pane(app, app.pane.cycle(false), fx),
        Command::UserMenu => app.dialog = Some(Dialog::UserMenu(UserMenu::default())),
        Command::CopyIcsLink => copy_ics_link(app, fx),
        Command::PrevWeek => browse(app, app.browse_week.previous(), fx),
        Command::NextWeek => browse(app, app.browse_week.next(), fx),
        Command::ThisWeek => browse(app, app.this_week, fx),
        Command::GoToDate => app.dialog = Some(Dialog::GoToDate(GoToDate::default())),
        Command::NewToken => {
            if let Some(session) = &app.session {
                let form = tokens::new_token_form(
                    &app.now,
                    session.claims.first_created(),
                    app.settings.week_start,
                );
                app.dialog = Some(Dialog::NewToken(form));
            }
        }
        Command::InvalidateTokens => {
            if app.session.is_some() {
                app.dialog = Some(Dialog::InvalidateTokens(Default::default()));
            }
        }
        other if app.pane == Pane::Calendar => calendar::command(app, other, fx),
        other => pane_command(app, other),
    }
}

/// A command for the current pane's room.
fn pane_command(app: &mut App, command: Command) {
    if app.pane == Pane::Materials {
        app.materials.command(command);
        return;
    }
    if app.pane == Pane::Profile {
        let today = app.now.today();
        app.profile.command(command, today);
        return;
    }
    let week = app.pane_week();
    let Some(glance) = app.weeks.get(&week).and_then(|e| e.glance.ready()) else {
        return;
    };
    let view = if app.pane == Pane::Week {
        &mut app.week_view
    } else {
        &mut app.dashboard_view
    };
    if let Some(index) = view.command(glance, command) {
        app.dialog = Some(Dialog::EventDetail(EventDetail::new(index)));
    }
}

fn switch_pane(app: &mut App, pane: Pane, fx: &mut Vec<Effect>) {
    app.pane = pane;
    if pane == Pane::Week {
        load_week(app, app.browse_week, fx);
    }
    if pane == Pane::Materials && !app.materials.requested {
        load_materials(app, fx);
    }
    if pane == Pane::Calendar {
        calendar::show(app, fx);
    }
}

/// "Copy My ICS Link": copy `{server}/ics/{key}` and show it alone, so it can also be
/// selected by hand (OSC 52 may reach no clipboard, and the copy says where it went).
fn copy_ics_link(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(user) = app.user.ready() else {
        return;
    };
    match crate::domain::ics::feed_url(&app.server_url, user.ics_feed_key.as_deref()) {
        Some(link) => {
            fx.push(Effect::Copy {
                what: "ICS link",
                text: zeroize::Zeroizing::new(link.clone()),
                through_terminal: false,
            });
            app.plain = Some(Plain {
                heading:
                    "Your calendar feed (ICS), alone so that a mouse selection copies it whole:"
                        .into(),
                text: link,
                footer: "Any key goes back.".into(),
            });
        }
        // The user record kept on disk has no feed key (it is not kept): wait for the server's.
        None if app.profile_as_of.is_some() => app.flash(
            FlashKind::Warning,
            "The calendar feed link comes with the server's answer; try again in a moment.".into(),
            fx,
        ),
        None => app.flash(
            FlashKind::Warning,
            "This Ilios server has no calendar feed key for you.".into(),
            fx,
        ),
    }
}

/// Ask for My Materials in the pane's range (and the statuses when the server keeps them).
fn load_materials(app: &mut App, fx: &mut Vec<Effect>) {
    if app.session.is_none() {
        return;
    }
    let seq = app.seq();
    let view = &mut app.materials;
    view.seq = seq;
    view.requested = true;
    view.loading();
    let with_statuses = app
        .app_config
        .ready()
        .is_some_and(|c| c.material_status_enabled);
    fx.push(Effect::LoadMaterials {
        seq,
        range: view.range,
        with_statuses,
    });
}

/// The user's material statuses, for the boxes of the glance and the event detail: once a
/// session, when the server keeps them (`materialStatusEnabled`) and nothing has asked yet.
fn load_material_statuses(app: &mut App, fx: &mut Vec<Effect>) {
    let on = app
        .app_config
        .ready()
        .is_some_and(|c| c.material_status_enabled);
    if app.session.is_none() || !on || app.material_statuses.requested {
        return;
    }
    let seq = app.seq();
    app.material_statuses.seq = seq;
    app.material_statuses.requested = true;
    fx.push(Effect::LoadMaterialStatuses { seq });
}

/// My Materials' answers: the rows, or a status written or refused (put back, and said why).
fn on_materials_answer(app: &mut App, answer: Answer, fx: &mut Vec<Effect>) {
    match answer {
        Answer::Materials { seq, result } => {
            let (zone, now) = (app.now.zone, app.now.utc());
            let result = result.map_err(|e| {
                let text = e.to_string();
                if e.is_unauthorized() {
                    app.session_error(e, fx);
                }
                text
            });
            let book = &mut app.material_statuses;
            app.materials.answer(seq, result, book, &zone, now);
        }
        Answer::MaterialStatuses { seq, result } if seq == app.material_statuses.seq => {
            match result {
                Ok(records) => app.material_statuses.load(Some(&records), seq),
                Err(e) if e.is_unauthorized() => app.session_error(e, fx),
                Err(e) => {
                    tracing::warn!("material statuses did not load: {e}");
                    app.flash(
                        FlashKind::Warning,
                        format!("Material statuses did not load ({e}); r tries again."),
                        fx,
                    );
                }
            }
        }
        Answer::MaterialStatusSaved { write, result } => match result {
            Ok(record) => {
                let at = app.seq();
                app.material_statuses.saved(&record, at)
            }
            Err(e) => {
                let at = app.seq();
                app.material_statuses.failed(write, at);
                let why = e.to_string();
                if e.is_unauthorized() {
                    app.session_error(e, fx);
                } else {
                    app.flash(
                        FlashKind::Alert,
                        format!(
                            "The status was not saved ({why}); it is back to {}.",
                            write.previous.label()
                        ),
                        fx,
                    );
                }
            }
        },
        _ => {}
    }
}

fn browse(app: &mut App, week: Week, fx: &mut Vec<Effect>) {
    app.browse_week = week;
    app.week_view.week_changed();
    drop_unwanted_prefetches(app);
    load_week(app, week, fx);
    if let Some(entry) = app.weeks.get_mut(&week) {
        // Asked for now: its failure is shown, and it is kept wherever the person goes next.
        entry.prefetch = false;
    }
    if is_fresh(app, week) {
        prefetch_neighbours(app, week, fx);
    }
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
        Pane::Materials => load_materials(app, fx),
        Pane::Calendar => calendar::refresh(app, fx),
    }
    // The boxes of the glance and the event detail are asked again on every pane (the flash of
    // a failed load says `r` tries again); My Materials reads them with its rows.
    if app.pane != Pane::Materials {
        app.material_statuses.requested = false;
        load_material_statuses(app, fx);
    }
    if matches!(app.app_config, Loadable::Failed(_)) {
        fx.push(Effect::LoadAppConfig);
    }
}

/// The open dialog takes the key; what it asks beyond itself comes back as a [`Step`].
fn on_dialog_key(app: &mut App, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(mut dialog) = app.dialog.take() else {
        return;
    };
    let keymap = &app.settings.keymap;
    let step = match &mut dialog {
        Dialog::Help(d) => d.key(key, keymap),
        Dialog::UserMenu(d) => d.key(key, keymap),
        Dialog::SessionEnded(d) => d.key(key, keymap),
        Dialog::GoToDate(d) => d.key(key, keymap),
        Dialog::EventDetail(d) => {
            let event = app.detail_event(d.index);
            d.key(key, event, &app.material_statuses, keymap, fx)
        }
        Dialog::MaterialDetail(d) => d.key(key, &app.material_statuses, keymap, fx),
        Dialog::NewToken(form) => form.key(key, &app.now, keymap, fx),
        Dialog::InvalidateTokens(state) => tokens::invalidate_key(state, key, keymap),
        Dialog::CalendarFilters(d) => d.key(key, keymap),
    };
    match step {
        Step::Stay => app.dialog = Some(dialog),
        Step::Close => {}
        Step::Quit => app.quit = true,
        Step::GoToDate(date) if app.pane == Pane::Calendar => calendar::go_to(app, date, fx),
        Step::GoToDate(date) => {
            app.pane = Pane::Week;
            browse(app, Week::containing(date, app.settings.week_start), fx);
        }
        Step::OpenProfile => switch_pane(app, Pane::Profile, fx),
        Step::Logout => logout(app, fx),
        Step::SignInAgain(notice) => {
            app.sign_in = Some(SignIn::new(Some(notice)));
            fx.push(Effect::LoadAppConfig);
        }
        Step::Flash(kind, text) => {
            app.flash(kind, text, fx);
            app.dialog = Some(dialog);
        }
        Step::CycleStatus(material) => {
            // The same write as My Materials' (one in flight per material).
            if let Some(write) = app.material_statuses.cycle(material) {
                fx.push(Effect::SaveMaterialStatus(write));
            }
            app.dialog = Some(dialog);
        }
        Step::StartInvalidation => {
            app.invalidating = true;
            fx.push(Effect::InvalidateTokens);
            app.dialog = Some(dialog);
        }
        Step::CalendarFilters(filters) => {
            calendar::set_filters(app, filters);
            app.dialog = Some(dialog);
        }
    }
}

/// The answer to "create a token" goes to the open form (dropped, and zeroed, if it closed).
fn on_token_created(app: &mut App, result: Result<Token, ApiError>, fx: &mut Vec<Effect>) {
    let Some(Dialog::NewToken(form)) = &mut app.dialog else {
        return; // the form was closed meanwhile; the token is dropped (and zeroed)
    };
    if let Some(e) = form.answer(result) {
        app.dialog = None;
        app.session_error(e, fx);
    }
}

fn logout(app: &mut App, fx: &mut Vec<Effect>) {
    if let Some(session) = &app.session {
        fx.push(Effect::ForgetCache {
            user_id: session.user_id,
        });
    }
    last_known::forget_cached_profile(app);
    fx.push(Effect::Logout);
    app.generation += 1;
    app.session = None;
    app.user = Loadable::Loading;
    app.weeks.clear();
    app.profile = Default::default();
    app.materials = Default::default();
    app.material_statuses = Default::default();
    app.calendar = calendar::CalendarPane::new(app.now.today());
    app.plain = None;
    app.sign_in = Some(SignIn::new(Some("You have logged out.".into())));
    fx.push(Effect::LoadAppConfig);
}

/// Ilios answers with a fresh session token: swap to it at once so the app goes on working.
fn on_tokens_invalidated(app: &mut App, result: Result<Token, ApiError>, fx: &mut Vec<Effect>) {
    if matches!(app.dialog, Some(Dialog::InvalidateTokens(_))) {
        app.dialog = None;
    }
    app.invalidating = false;
    // Whatever was refused meanwhile goes out again, with the new token if there is one.
    fx.append(&mut app.deferred);
    match result {
        Ok(token) => {
            let source = app.session.as_ref().map(|s| s.source.clone());
            match source.map(|source| Session::new(token.clone(), source)) {
                Some(Ok(session)) => {
                    // What was kept on disk goes with the old tokens.
                    fx.push(Effect::ForgetCache {
                        user_id: session.user_id,
                    });
                    app.session = Some(session);
                    app.token_epoch += 1;
                    // Every older token is dead: keep the new one on disk, and say so if that
                    // fails (Action::SessionNotSaved), so it is never silently lost.
                    fx.push(Effect::StoreSession {
                        token,
                        always: true,
                    });
                    app.flash(FlashKind::Success, INVALIDATED.into(), fx);
                }
                Some(Err(why)) => app.flash(FlashKind::Alert, why, fx),
                None => {}
            }
        }
        Err(e) if e.is_unauthorized() => app.session_error(e, fx),
        Err(e) => app.flash(
            FlashKind::Alert,
            format!("Tokens were not invalidated: {e}"),
            fx,
        ),
    }
}
