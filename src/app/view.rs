//! Drawing the app: the frame around the panes (header with the user menu, tabs, status bar),
//! then the current pane's room and the open dialog's room. A pure function of the state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::Loadable;
use crate::ui::Theme;
use crate::ui::shell::{self, MIN_HEIGHT, MIN_WIDTH, Screen, truncate};
use crate::ui::widgets::confirm::ConfirmDialog;

use super::dialogs::{Dialog, sign_in};
use super::keymap::{Command, Scope};
use super::state::*;

impl Screen for App {
    fn draw(&mut self, frame: &mut Frame) {
        draw(frame, self);
    }
}

fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    let theme = app.settings.theme;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        shell::draw_too_small(frame, area, &theme);
        if theme.ascii {
            shell::to_ascii(frame.buffer_mut());
        }
        return;
    }
    let [header, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_rows(app, area.width)),
    ])
    .areas(area);
    draw_header(frame, header, app, &theme);
    if let Some(sign_in) = &app.sign_in {
        frame.render_widget(Paragraph::new(""), tabs);
        sign_in::draw_sign_in(frame, body, sign_in, &app.server_host, &theme);
    } else {
        draw_tabs(frame, tabs, app, &theme);
        draw_pane(frame, body, app);
    }
    draw_status(frame, status, app, &theme);
    draw_dialog(frame, body, app, &theme);
    shell::scrub(frame.buffer_mut());
    if theme.ascii {
        shell::to_ascii(frame.buffer_mut());
    }
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let name = match (&app.sign_in, app.user_name()) {
        (Some(_), _) => String::new(),
        (None, Some(name)) => name,
        // Ilios shows "User menu" while the user is loading.
        (None, None) => "User menu".into(),
    };
    let menu_open = matches!(app.dialog, Some(Dialog::UserMenu(_)));
    let right = if name.is_empty() {
        String::new()
    } else {
        format!("{name} {} ", if menu_open { "▾" } else { "▸" })
    };
    let left = format!(" ilios-tui · {}", app.server_host);
    let width = area.width as usize;
    let right_w = crate::ui::text::width(&right);
    let left: String = truncate(&left, width.saturating_sub(right_w + 1));
    let pad = width.saturating_sub(crate::ui::text::width(&left) + right_w);
    let line = Line::from(vec![
        Span::styled(
            left,
            theme.header().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(" ".repeat(pad), theme.header()),
        Span::styled(right, theme.header()),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.header()), area);
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let keymap = &app.settings.keymap;
    let mut spans = vec![Span::raw(" ")];
    for (pane, command) in [
        (Pane::Dashboard, Command::Dashboard),
        (Pane::Week, Command::WeekPane),
        (Pane::Profile, Command::ProfilePane),
        (Pane::Materials, Command::MaterialsPane),
        (Pane::Calendar, Command::CalendarPane),
    ] {
        let key = keymap
            .keys(command)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        let label = format!(" {key} {} ", pane.title());
        let style = if pane == app.pane {
            theme.selected()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The right end of the status bar: API version (when there is room) and the token's time left.
fn status_right(app: &App) -> String {
    let mut right = Vec::new();
    // Data from the cache on disk says how old it is until the fresh answer replaces it.
    right.extend(app.as_of_mark());
    // A flash needs the room more than the API version does.
    if let Loadable::Ready(config) = &app.app_config
        && let Some(v) = &config.api_version
        && app.flash.is_none()
    {
        right.push(format!("API {}", crate::text::sanitize_line(v)));
    }
    if let Some(exp) = app.session.as_ref().and_then(Session::expires_at) {
        right.push(format!(
            "token {}",
            crate::api::jwt::time_left(exp, app.now.utc())
        ));
    }
    format!("{} ", right.join(" · "))
}

/// One row, or up to three when a flash message (an error, typically) needs them to be read whole.
fn status_rows(app: &App, width: u16) -> u16 {
    let Some(flash) = &app.flash else { return 1 };
    let right_w = crate::ui::text::width(&status_right(app));
    let room = usize::from(width).saturating_sub(right_w + 2).max(1);
    let text = flash.line(&app.settings.theme).width();
    text.div_ceil(room).clamp(1, 3) as u16
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let right = status_right(app);
    let right_w = crate::ui::text::width(&right);
    let room = (area.width as usize).saturating_sub(right_w + 1);
    let [l, r] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(right_w as u16)]).areas(area);
    match &app.flash {
        Some(f) if area.height > 1 => {
            let [_, text] =
                Layout::horizontal([Constraint::Length(1), Constraint::Min(1)]).areas(l);
            frame.render_widget(
                Paragraph::new(f.line(theme)).wrap(Wrap { trim: true }),
                text,
            );
        }
        Some(f) => {
            let [_, text] =
                Layout::horizontal([Constraint::Length(1), Constraint::Min(1)]).areas(l);
            crate::ui::widgets::flash::render_flash(frame, text, f, theme);
        }
        None => {
            let hints = Line::styled(truncate(&format!(" {}", key_hints(app)), room), theme.dim());
            frame.render_widget(Paragraph::new(hints), l);
        }
    }
    let last_row = Rect {
        y: r.y + r.height.saturating_sub(1),
        height: 1,
        ..r
    };
    frame.render_widget(Paragraph::new(Line::styled(right, theme.dim())), last_row);
}

/// Under the Calendar's day and week grids while nothing is selected: how to select and scroll.
fn grid_hint(app: &App) -> String {
    let map = &app.settings.keymap;
    let first = |c| {
        map.keys_in(Scope::CalendarPane, c)
            .first()
            .or_else(|| map.keys(c).first())
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    format!(
        "{}/{} select an event · {}/{} an hour earlier/later · {}/{} a page",
        first(Command::Down),
        first(Command::Up),
        first(Command::HourEarlier),
        first(Command::HourLater),
        first(Command::PageUp),
        first(Command::PageDown),
    )
}

/// The current pane's main keys (first binding of each, to fit 80 columns).
fn key_hints(app: &App) -> String {
    let k = |c| {
        let keys = app.settings.keymap.keys(c);
        keys.first().map(ToString::to_string).unwrap_or_default()
    };
    if let Some(sign_in) = &app.sign_in {
        return match sign_in.mode {
            crate::domain::Loadable::Ready(_) => "Tab next field · Enter sign in · Esc quit",
            crate::domain::Loadable::Failed(_) => "r try again · Esc quit",
            crate::domain::Loadable::Loading => "Esc quit",
        }
        .into();
    }
    let pane = match app.pane {
        Pane::Dashboard => format!(
            "{}/{} select · {} open",
            k(Command::Down),
            k(Command::Up),
            k(Command::Open)
        ),
        Pane::Week => format!(
            "{}/{} week · {} today · {} date · {} open",
            k(Command::PrevWeek),
            k(Command::NextWeek),
            k(Command::ThisWeek),
            k(Command::GoToDate),
            k(Command::Open)
        ),
        Pane::Profile => format!(
            "{} new token · {} invalidate · {} school · {} year",
            k(Command::NewToken),
            k(Command::InvalidateTokens),
            k(Command::NextSchool),
            k(Command::NextYear)
        ),
        Pane::Materials if app.materials.filtering => "type to filter · Enter/Esc done".to_string(),
        Pane::Materials => format!(
            "{} range · {} sort · {} course · {} filter · {} status",
            k(Command::ToggleRange),
            k(Command::NextSortColumn),
            k(Command::NextCourse),
            k(Command::EditFilter),
            k(Command::CycleStatus)
        ),
        Pane::Calendar => format!(
            "{}/{} move · {} today · {}/{}/{} view · {} open",
            k(Command::Back),
            k(Command::Forward),
            k(Command::Today),
            k(Command::DayView),
            k(Command::WeekView),
            k(Command::MonthView),
            app.settings
                .keymap
                .describe_in(Scope::CalendarPane, Command::Open)
        ),
    };
    format!(
        "{pane} · {} help · {} quit",
        k(Command::Help),
        k(Command::Quit)
    )
}

/// Draws the current pane.
fn draw_pane(frame: &mut Frame, area: Rect, app: &mut App) {
    let (tf, theme) = (app.settings.time_format, app.settings.theme);
    let loading = Loadable::Loading;
    match app.pane {
        Pane::Profile => app
            .profile
            .draw(frame, area, &app.user, &app.api_doc_url, &theme),
        Pane::Materials => app
            .materials
            .draw(frame, area, &app.material_statuses, &theme),
        Pane::Dashboard => {
            let week = app.this_week;
            let glance = app.weeks.get(&week).map_or(&loading, |e| &e.glance);
            let expiry = app
                .session
                .as_ref()
                .and_then(|s| s.expires_at())
                .map(|exp| {
                    let local = exp.with_timezone(&app.now.zone);
                    // In the user's time format, like every other time on screen.
                    format!(
                        "{} {} ({})",
                        local.format("%a %b %-d"),
                        crate::domain::week::format_time(&local, app.settings.time_format),
                        crate::api::jwt::time_left(exp, app.now.utc())
                    )
                });
            app.dashboard_view.draw_dashboard(
                frame,
                area,
                week,
                glance,
                &app.upcoming,
                expiry.as_deref(),
                tf,
                app.material_statuses.shown(),
                &theme,
            );
        }
        Pane::Calendar => {
            let today = app.now.today();
            let week_start = app.settings.week_start;
            let hint = grid_hint(app);
            app.calendar
                .draw(frame, area, today, week_start, tf, &theme, hint)
        }
        Pane::Week => {
            let week = app.browse_week;
            let glance = app.weeks.get(&week).map_or(&loading, |e| &e.glance);
            let statuses = app.material_statuses.shown();
            app.week_view
                .draw_week(frame, area, week, glance, tf, statuses, &theme);
        }
    }
}

/// Draws the open dialog: the help and the user menu over the whole screen, the rest over the
/// body.
/// A text to show alone on the screen, without a frame, and its heading (the new token's plain
/// view, the ICS link); the runtime writes it so that the terminal wraps it itself.
pub fn plain_text(app: &App) -> Option<(&str, &str, &str)> {
    if let Some(plain) = &app.plain {
        return Some((&plain.heading, &plain.text, &plain.footer));
    }
    match &app.dialog {
        Some(Dialog::NewToken(form)) => form.plain_text().map(|token| {
            (
                "Your new API token, alone so that a mouse selection copies it whole:",
                token,
                "Any key goes back.",
            )
        }),
        _ => None,
    }
}

fn draw_dialog(frame: &mut Frame, body: Rect, app: &mut App, theme: &Theme) {
    let full = frame.area();
    let week = app.pane_week();
    match &mut app.dialog {
        None => {}
        Some(Dialog::Help(d)) => d.draw(
            frame,
            full,
            &app.settings.keymap,
            app.settings.config_path.as_deref(),
            theme,
        ),
        Some(Dialog::UserMenu(d)) => d.draw(frame, full, theme),
        Some(Dialog::SessionEnded(d)) => d.draw(frame, body, theme),
        Some(Dialog::GoToDate(d)) => d.draw(frame, body, theme),
        Some(Dialog::CalendarFilters(d)) => d.draw(frame, body, theme),
        Some(Dialog::EventDetail(d)) => {
            let event = if app.pane == Pane::Calendar {
                app.calendar.opened()
            } else {
                let glance = app.weeks.get(&week).and_then(|e| e.glance.ready());
                glance.and_then(|g| g.event(d.index))
            };
            let book = &app.material_statuses;
            d.draw(frame, body, event, app.settings.time_format, book, theme);
        }
        Some(Dialog::MaterialDetail(d)) => d.draw(frame, body, &app.material_statuses, theme),
        Some(Dialog::NewToken(form)) => {
            super::dialogs::tokens::render_token_form(frame, body, full, form, theme)
        }
        Some(Dialog::InvalidateTokens(state)) => {
            state.draw(frame, body, &ConfirmDialog::INVALIDATE_TOKENS, theme)
        }
    }
}
