//! App-side state of the panes (scroll, selection, profile parts) and their key handling.

use crossterm::event::KeyEvent;

use crate::api::ApiError;
use crate::api::models::User;
use crate::domain::week::Week;

use super::action::Effect;
use super::keymap::Command;
use super::state::{App, Overlay};

#[derive(Debug, Default)]
pub struct GlanceView {
    pub scroll: usize,
    pub selected: Option<usize>,
}

#[derive(Debug, Default)]
pub struct ProfileView {
    pub seq: u64,
}

#[derive(Debug)]
pub enum ProfilePart {}

pub fn apply_profile_part(_app: &mut App, _seq: u64, part: ProfilePart) -> Result<(), ApiError> {
    match part {}
}

pub fn start_profile(app: &mut App, seq: u64, _user: &User) {
    app.profile.seq = seq;
}

pub fn week_changed(_app: &mut App, _week: Week) {}

pub fn pane_command(_app: &mut App, _command: Command, _fx: &mut Vec<Effect>) {}

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

/// The profile's second wave: every related request at once, each answering on its own.
pub fn spawn_profile_wave(
    _client: &crate::api::Client,
    _generation: u64,
    _seq: u64,
    _user: User,
    _tx: &tokio::sync::mpsc::UnboundedSender<super::action::Action>,
) {
}

/// Draws the current pane.
pub fn draw_pane(frame: &mut ratatui::Frame, area: ratatui::layout::Rect, app: &mut App) {
    let text = format!("{} (pane pending)", app.pane.title());
    frame.render_widget(ratatui::widgets::Paragraph::new(text), area);
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
