//! App-side state of the panes (scroll, selection, profile parts) and their key handling.

use crossterm::event::KeyEvent;

use crate::api::ApiError;
use crate::api::models::User;
use crate::domain::week::Week;

use super::action::Effect;
use super::keymap::Command;
use super::state::{App, Overlay, Pane};
use crate::domain::Loadable;
use crate::domain::profile::{ProfileData, RelatedQuery, related_requests};
use crate::ui::profile::ProfilePaneState;

#[derive(Debug, Default)]
pub struct GlanceView {
    pub scroll: usize,
    pub selected: Option<usize>,
}

/// My Profile: the user record's related parts as they arrive, and the pane's scroll and
/// school/year choice.
#[derive(Debug, Default)]
pub struct ProfileView {
    /// The wave whose answers we take; answers of an older wave are dropped.
    pub seq: u64,
    pub data: Option<ProfileData>,
    pub pane: ProfilePaneState,
}

/// One answer of the profile's wave.
#[derive(Debug)]
pub struct ProfileAnswer {
    pub query: RelatedQuery,
    pub body: Result<serde_json::Value, ApiError>,
}

pub fn apply_profile_part(app: &mut App, seq: u64, answer: ProfileAnswer) -> Result<(), ApiError> {
    if seq != app.profile.seq {
        return Ok(());
    }
    let today = app.now.today();
    let Some(data) = &mut app.profile.data else { return Ok(()) };
    let result = match answer.body {
        Ok(body) => {
            data.receive(&answer.query, Ok(body));
            Ok(())
        }
        Err(e) => {
            data.receive(&answer.query, Err(e.to_string()));
            if e.is_unauthorized() { Err(e) } else { Ok(()) }
        }
    };
    app.profile.pane.settle(data, today);
    result
}

pub fn start_profile(app: &mut App, seq: u64, user: &User) {
    let crosses = app.app_config.ready().is_some_and(|c| c.academic_year_crosses_calendar_year_boundaries);
    app.profile.seq = seq;
    app.profile.data = Some(ProfileData::new(user.clone(), crosses));
}

/// The app config can arrive after the user record; the year labels depend on it.
pub fn app_config_changed(app: &mut App) {
    let crosses = app.app_config.ready().is_some_and(|c| c.academic_year_crosses_calendar_year_boundaries);
    if let Some(data) = &mut app.profile.data {
        data.crosses_boundary = crosses;
    }
}

/// The profile's second wave: every related request at once, each answering on its own.
pub fn spawn_profile_wave(
    client: &crate::api::Client,
    generation: u64,
    seq: u64,
    user: User,
    tx: &tokio::sync::mpsc::UnboundedSender<super::action::Action>,
) {
    for query in related_requests(&user) {
        let client = client.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            let body = client.get_value(query.resource, &query.query_pairs()).await;
            let part = ProfileAnswer { query, body };
            let _ = tx.send(super::action::Action::ProfilePart { generation, seq, part });
        });
    }
}

fn profile_command(app: &mut App, command: Command) {
    let today = app.now.today();
    let view = &mut app.profile;
    let pane = &mut view.pane;
    match command {
        Command::Up => pane.scroll_by(-1),
        Command::Down => pane.scroll_by(1),
        Command::PageUp => pane.page(false),
        Command::PageDown => pane.page(true),
        Command::Top => pane.top(),
        Command::Bottom => pane.bottom(),
        _ => {
            let Some(data) = &view.data else { return };
            match command {
                Command::NextSchool => pane.cycle_school(data, true),
                Command::PrevSchool => pane.cycle_school(data, false),
                Command::NextYear => pane.cycle_year(data, today, true),
                Command::PrevYear => pane.cycle_year(data, today, false),
                _ => {}
            }
        }
    }
}

fn draw_profile(frame: &mut ratatui::Frame, area: ratatui::layout::Rect, app: &mut App) {
    let theme = app.settings.theme;
    match (&app.profile.data, &app.user) {
        (Some(data), _) => {
            let footer = crate::ui::tokens::section_lines(&app.api_doc_url, &theme);
            crate::ui::profile::render_profile(frame, area, data, &mut app.profile.pane, &footer, &theme);
        }
        (None, Loadable::Failed(e)) => {
            let text = vec![
                ratatui::text::Line::styled(format!("My Profile could not be loaded: {e}"), theme.alert()),
                ratatui::text::Line::from("Press r to try again."),
            ];
            frame.render_widget(ratatui::widgets::Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
        }
        (None, _) => frame.render_widget(ratatui::widgets::Paragraph::new(" Loading ..."), area),
    }
}

pub fn week_changed(_app: &mut App, _week: Week) {}

pub fn pane_command(app: &mut App, command: Command, _fx: &mut Vec<Effect>) {
    match app.pane {
        Pane::Profile => profile_command(app, command),
        Pane::Dashboard | Pane::Week => {}
    }
}

pub fn detail_key(
    _app: &mut App,
    index: usize,
    link: usize,
    scroll: u16,
    key: KeyEvent,
    _fx: &mut Vec<Effect>,
) -> Option<Overlay> {
    match key.code {
        crossterm::event::KeyCode::Esc => None,
        _ => Some(Overlay::EventDetail {
            index,
            link,
            scroll,
        }),
    }
}


/// Draws the current pane.
pub fn draw_pane(frame: &mut ratatui::Frame, area: ratatui::layout::Rect, app: &mut App) {
    match app.pane {
        Pane::Profile => draw_profile(frame, area, app),
        _ => {
            let text = format!("{} (pane pending)", app.pane.title());
            frame.render_widget(ratatui::widgets::Paragraph::new(text), area);
        }
    }
}

/// Draws the pane overlays (event detail, token dialogs).
pub fn draw_overlay(frame: &mut ratatui::Frame, area: ratatui::layout::Rect, app: &mut App) {
    let theme = app.settings.theme;
    match &app.overlay {
        Some(Overlay::Tokens(super::tokens::TokenOverlay::Form(form))) => {
            crate::ui::tokens::render_token_form(frame, area, form, &theme)
        }
        Some(Overlay::Tokens(super::tokens::TokenOverlay::Confirm(state))) => {
            crate::ui::widgets::confirm::ConfirmDialog::INVALIDATE_TOKENS
                .render(frame, area, state, &theme)
        }
        _ => {}
    }
}

/// Extra help: the dialogs' own keys, and the marks' legend.
pub fn help_extra(theme: &crate::ui::Theme) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::{Line, Span};
    let row = |keys: &str, what: &str| {
        Line::from(vec![
            Span::styled(format!("  {keys:<16}"), theme.label()),
            Span::raw(what.to_string()),
        ])
    };
    vec![
        Line::styled("Token expiry calendar", theme.heading()),
        row("h/l ←/→", "One day"),
        row("k/j ↑/↓", "One week"),
        row("PgUp/PgDn [/]", "One month"),
        row("Home/End", "First / last allowed date"),
        row("t", "Back to the default (today + 14 days)"),
        row("Enter", "Create the token"),
        row("c", "Copy the new token (OSC 52)"),
        row("Esc", "Cancel / close (the token leaves the screen)"),
        Line::from(""),
        Line::styled("Confirm dialog", theme.heading()),
        row("←/→ Tab", "Move between Yes and Cancel (Cancel first)"),
        row("Enter", "Choose"),
        row("y / n", "Yes / Cancel"),
        row("Esc", "Cancel"),
        Line::from(""),
    ]
}
