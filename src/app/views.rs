//! App-side state of the panes (scroll, selection, profile parts) and their key handling.

use crossterm::event::KeyEvent;

use crate::api::ApiError;
use crate::api::models::User;

use super::action::Effect;
use super::keymap::Command;
use super::state::{App, Overlay, Pane};
use crate::domain::Loadable;
use crate::domain::profile::{ProfileData, RelatedQuery, related_requests};
use crate::ui::profile::ProfilePaneState;
use crate::ui::week::{
    DetailState, WeekPaneState, detail_links, render_event_detail, render_glance,
};

/// A glance pane's scroll, selection and expanded descriptions.
#[derive(Debug, Default)]
pub struct GlanceView {
    pub pane: WeekPaneState,
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
    let Some(data) = &mut app.profile.data else {
        return Ok(());
    };
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
    let crosses = app
        .app_config
        .ready()
        .is_some_and(|c| c.academic_year_crosses_calendar_year_boundaries);
    app.profile.seq = seq;
    app.profile.data = Some(ProfileData::new(user.clone(), crosses));
}

/// The app config can arrive after the user record; the year labels depend on it.
pub fn app_config_changed(app: &mut App) {
    let crosses = app
        .app_config
        .ready()
        .is_some_and(|c| c.academic_year_crosses_calendar_year_boundaries);
    if let Some(data) = &mut app.profile.data {
        data.crosses_boundary = crosses;
    }
}

/// The profile's second wave: every related request at once, each answering on its own.
pub fn spawn_profile_wave(
    client: &crate::api::Client,
    (generation, epoch): (u64, u64),
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
            let _ = tx.send(super::action::Action::ProfilePart {
                generation,
                epoch,
                seq,
                part,
            });
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
            crate::ui::profile::render_profile(
                frame,
                area,
                data,
                &mut app.profile.pane,
                &footer,
                &theme,
            );
        }
        (None, Loadable::Failed(e)) => {
            let text = vec![
                ratatui::text::Line::styled(
                    format!("My Profile could not be loaded: {e}"),
                    theme.alert(),
                ),
                ratatui::text::Line::from("Press r to try again."),
            ];
            frame.render_widget(
                ratatui::widgets::Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
                area,
            );
        }
        (None, _) => frame.render_widget(ratatui::widgets::Paragraph::new(" Loading ..."), area),
    }
}

/// Another week is shown on pane 2: start at its top with nothing selected.
pub fn week_changed(app: &mut App) {
    app.week_view.pane.reset();
}

fn glance_command(app: &mut App, command: Command) {
    let week = app.pane_week();
    let Some(glance) = app.weeks.get(&week).and_then(|e| e.glance.ready()) else {
        return;
    };
    let view = if app.pane == Pane::Week {
        &mut app.week_view
    } else {
        &mut app.dashboard_view
    };
    let pane = &mut view.pane;
    match command {
        Command::Up => pane.select_prev(glance),
        Command::Down => pane.select_next(glance),
        Command::PageUp => pane.page_up(pane.viewport_height()),
        Command::PageDown => pane.page_down(pane.viewport_height()),
        Command::Top => pane.top(),
        Command::Bottom => pane.bottom(glance),
        Command::Expand => pane.toggle_expand(),
        Command::Open => {
            if let Some(index) = pane.selected.filter(|i| glance.event(*i).is_some()) {
                app.overlay = Some(Overlay::EventDetail {
                    index,
                    detail: DetailState::default(),
                });
            }
        }
        _ => {}
    }
}

pub fn pane_command(app: &mut App, command: Command, _fx: &mut Vec<Effect>) {
    match app.pane {
        Pane::Profile => profile_command(app, command),
        Pane::Dashboard | Pane::Week => glance_command(app, command),
    }
}

pub fn detail_key(
    app: &mut App,
    index: usize,
    mut detail: DetailState,
    key: KeyEvent,
    fx: &mut Vec<Effect>,
) -> Option<Overlay> {
    use crossterm::event::KeyCode;
    let week = app.pane_week();
    let Some(event) = app
        .weeks
        .get(&week)
        .and_then(|e| e.glance.ready())
        .and_then(|g| g.event(index))
    else {
        return None; // the week changed under the popup
    };
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => return None,
        KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => detail.next_link(event),
        KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => detail.prev_link(),
        KeyCode::PageDown => detail.scroll_by(10),
        KeyCode::PageUp => detail.scroll_by(-10),
        KeyCode::Char('c') => match detail_links(event).get(detail.selected_link) {
            Some(link) => fx.push(Effect::Copy {
                what: "link",
                text: zeroize::Zeroizing::new(link.clone()),
            }),
            None => super::update::flash(
                app,
                crate::ui::widgets::flash::FlashKind::Warning,
                "This event has no link to copy.".into(),
                fx,
            ),
        },
        _ => {}
    }
    Some(Overlay::EventDetail { index, detail })
}

/// Draws the current pane.
pub fn draw_pane(frame: &mut ratatui::Frame, area: ratatui::layout::Rect, app: &mut App) {
    match app.pane {
        Pane::Profile => draw_profile(frame, area, app),
        Pane::Dashboard => draw_dashboard(frame, area, app),
        Pane::Week => {
            let week = app.browse_week;
            let title = week.glance_title();
            let (tf, theme) = (app.settings.time_format, app.settings.theme);
            let loading = Loadable::Loading;
            let glance = app.weeks.get(&week).map_or(&loading, |e| &e.glance);
            render_glance(
                frame.buffer_mut(),
                area,
                glance,
                &title,
                &mut app.week_view.pane,
                tf,
                &theme,
            );
        }
    }
}

/// From this width the Dashboard adds the "Coming Up" column.
pub const SIDE_COLUMN_FROM: u16 = 110;

fn draw_dashboard(frame: &mut ratatui::Frame, area: ratatui::layout::Rect, app: &mut App) {
    use ratatui::layout::{Constraint, Layout};
    let week = app.this_week;
    let title = week.glance_title();
    let (tf, theme) = (app.settings.time_format, app.settings.theme);
    let (main, side) = if area.width >= SIDE_COLUMN_FROM {
        let [m, s] = Layout::horizontal([Constraint::Min(60), Constraint::Length(38)]).areas(area);
        (m, Some(s))
    } else {
        (area, None)
    };
    let loading = Loadable::Loading;
    let glance = app.weeks.get(&week).map_or(&loading, |e| &e.glance);
    render_glance(
        frame.buffer_mut(),
        main,
        glance,
        &title,
        &mut app.dashboard_view.pane,
        tf,
        &theme,
    );
    if let Some(side) = side {
        let upcoming = &app.upcoming;
        let expiry = app
            .session
            .as_ref()
            .and_then(|s| s.expires_at())
            .map(|exp| {
                let local = exp.with_timezone(&app.now.zone);
                format!(
                    "{} ({})",
                    local.format("%a %b %-d %H:%M"),
                    crate::api::jwt::time_left(exp, app.now.utc())
                )
            });
        crate::ui::week::render_side_column(
            frame.buffer_mut(),
            side,
            upcoming,
            expiry.as_deref(),
            tf,
            &theme,
        );
    }
}

/// What comes next, from this week's and next week's events (7 days ahead). Computed when
/// those weeks arrive and on the minute tick, not on every draw.
pub fn refresh_upcoming(app: &mut App) {
    use crate::domain::week::upcoming;
    let now = app.now.utc();
    let this = app.week(app.this_week);
    let Some(events) = this.ready() else {
        app.upcoming = this.map(|_| Default::default());
        return;
    };
    let mut soon = upcoming(events, now, &app.now.zone);
    if let Some(next) = app.week(app.this_week.next()).ready() {
        // Next week's events all start after this week's.
        let later = upcoming(next, now, &app.now.zone);
        soon.next = soon.next.or(later.next);
        soon.ilms_due_soon.extend(later.ilms_due_soon);
    }
    app.upcoming = Loadable::Ready(soon);
}

/// Draws the pane overlays (event detail, token dialogs).
pub fn draw_overlay(frame: &mut ratatui::Frame, area: ratatui::layout::Rect, app: &mut App) {
    let theme = app.settings.theme;
    match &app.overlay {
        Some(Overlay::Tokens(super::tokens::TokenOverlay::Form(form))) => {
            crate::ui::tokens::render_token_form(frame, area, form, &theme)
        }
        Some(Overlay::EventDetail { index, detail }) => {
            let (index, mut detail) = (*index, *detail);
            let week = app.pane_week();
            if let Some(event) = app
                .weeks
                .get(&week)
                .and_then(|e| e.glance.ready())
                .and_then(|g| g.event(index))
            {
                render_event_detail(
                    frame.buffer_mut(),
                    area,
                    event,
                    &mut detail,
                    app.settings.time_format,
                    &theme,
                );
            }
            app.overlay = Some(Overlay::EventDetail { index, detail });
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
        Line::styled("Event detail (Enter on an event)", theme.heading()),
        row("j/k Tab", "Select a link"),
        row("c", "Copy the selected link (OSC 52)"),
        row("PgUp/PgDn", "Scroll"),
        row("Esc", "Close"),
        Line::from(""),
        Line::styled("Confirm dialog", theme.heading()),
        row("←/→ Tab", "Move between Yes and Cancel (Cancel first)"),
        row("Enter", "Choose"),
        row("y / n", "Yes / Cancel"),
        row("Esc", "Cancel"),
        Line::from(""),
        Line::styled("Marks on events", theme.heading()),
    ]
    .into_iter()
    .chain(
        crate::ui::week::MARK_LEGEND
            .iter()
            .map(|(mark, meaning)| row(mark, meaning)),
    )
    .chain(std::iter::once(Line::from("")))
    .collect()
}
