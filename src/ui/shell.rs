//! The frame around the panes: header with the user menu, tabs, status bar, help overlay,
//! sign-in screen and the small overlays. A pure function of the app state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use crate::app::keymap::{BINDINGS, Command, Scope};
use crate::app::state::*;
use crate::domain::Loadable;

use super::Theme;

pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    let theme = app.settings.theme;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area, &theme);
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
        draw_sign_in(frame, body, sign_in, &app.server_host, &theme);
    } else {
        draw_tabs(frame, tabs, app, &theme);
        crate::app::views::draw_pane(frame, body, app);
    }
    draw_status(frame, status, app, &theme);
    draw_overlay(frame, body, app, &theme);
    scrub(frame.buffer_mut());
}

/// The last guard before the terminal: whatever widget drew server text, no cell may hold a
/// control or bidi character (ratatui drops C0/C1 controls; bidi overrides it keeps).
pub fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        if cell
            .symbol()
            .chars()
            .any(|c| crate::text::is_unsafe(c, false))
        {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|c| !crate::text::is_unsafe(*c, false))
                .collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled("Terminal too small", theme.alert()),
        Line::from(format!(
            "ilios-tui needs {MIN_WIDTH}x{MIN_HEIGHT}; this is {}x{}.",
            area.width, area.height
        )),
        Line::from("Make the window larger, or press q to quit."),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let name = match (&app.sign_in, app.user_name()) {
        (Some(_), _) => String::new(),
        (None, Some(name)) => name,
        // Ilios shows "User menu" while the user is loading.
        (None, None) => "User menu".into(),
    };
    let menu_open = matches!(app.overlay, Some(Overlay::UserMenu { .. }));
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

/// The current pane's main keys (first binding of each, to fit 80 columns).
fn key_hints(app: &App) -> String {
    let k = |c| {
        let keys = app.settings.keymap.keys(c);
        keys.first().map(ToString::to_string).unwrap_or_default()
    };
    if app.sign_in.is_some() {
        return "Tab next field · Enter sign in · Esc quit".into();
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
    };
    format!(
        "{pane} · {} help · {} quit",
        k(Command::Help),
        k(Command::Quit)
    )
}

/// `text` cut to `width` columns between grapheme clusters, ending in `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    crate::ui::text::fit(text, width)
}

/// A bordered box centred in `area`, cleared first so it reads over whatever is below.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let rect = area.centered(
        Constraint::Length(width.min(area.width)),
        Constraint::Length(height.min(area.height)),
    );
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

fn draw_overlay(frame: &mut Frame, body: Rect, app: &mut App, theme: &Theme) {
    let full = frame.area();
    match &app.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => draw_help(frame, full, app, *scroll, theme),
        Some(Overlay::UserMenu { selected }) => {
            let width = 22u16;
            let rect = Rect {
                x: full.width.saturating_sub(width + 1),
                y: 1,
                width,
                height: 4,
            };
            frame.render_widget(Clear, rect);
            let lines: Vec<Line> = USER_MENU_ITEMS
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let style = if i == *selected {
                        theme.selected()
                    } else {
                        theme.text()
                    };
                    Line::styled(format!(" {item:<18}"), style)
                })
                .collect();
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border());
            frame.render_widget(Paragraph::new(lines).block(block), rect);
        }
        Some(Overlay::SessionEnded { reason }) => {
            let inner = popup(frame, body, 64, 9, "Session ended", theme);
            let text = vec![
                Line::styled("Your session has ended. The server said:", theme.label()),
                Line::from(reason.clone()),
                Line::from(""),
                Line::from(
                    "Everything on screen is kept. Press Enter to sign in again, q to quit.",
                ),
            ];
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
        }
        Some(Overlay::GoToDate { input, error }) => {
            let inner = popup(frame, body, 44, 6, "Go to a date", theme);
            let [label, field, err] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Length(2),
            ])
            .areas(inner);
            frame.render_widget(
                Paragraph::new("Date (YYYY-MM-DD), Enter to go, Esc to cancel:"),
                label,
            );
            frame.render_widget(input, field);
            if let Some(e) = error {
                frame.render_widget(
                    Paragraph::new(Line::styled(e.clone(), theme.alert()))
                        .wrap(Wrap { trim: true }),
                    err,
                );
            }
        }
        Some(Overlay::EventDetail { .. }) | Some(Overlay::Tokens(_)) => {
            crate::app::views::draw_overlay(frame, body, app);
        }
    }
}

/// The help, generated from the keymap so it cannot disagree with it.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let theme = app.settings.theme;
    let keymap = &app.settings.keymap;
    let mut lines = Vec::new();
    for (scope, heading) in [
        (Scope::Global, "Everywhere"),
        (Scope::Glance, "Dashboard and Week at a Glance"),
        (Scope::Week, "Week at a Glance"),
        (Scope::Profile, "My Profile"),
    ] {
        lines.push(Line::styled(heading.to_string(), theme.heading()));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<16}", keymap.describe(b.command)),
                    theme.label(),
                ),
                Span::raw(b.help.to_string()),
            ]));
        }
        lines.push(Line::from(""));
    }
    lines.extend(crate::app::views::help_extra(&theme));
    lines.push(Line::styled("Config".to_string(), theme.heading()));
    let path = app.settings.config_path.clone().unwrap_or_else(|| {
        crate::config::default_config_path()
            .map(|p| format!("{} (not present)", p.display()))
            .unwrap_or_else(|| "none".into())
    });
    lines.push(Line::from(format!("  {path}")));
    lines.push(Line::from(
        "  Keys can be changed under [keys], e.g. quit = \"x\".",
    ));
    lines
}

fn draw_help(frame: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) {
    let lines = help_lines(app);
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let inner = popup(
        frame,
        area,
        72,
        height,
        "Help — Esc or ? to close, j/k to scroll",
        theme,
    );
    let max = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
}

/// The focused field is marked with more than a colour.
fn field_label(label: &str, focused: bool) -> String {
    format!("{} {label}", if focused { "▶" } else { " " })
}

fn draw_sign_in(frame: &mut Frame, area: Rect, s: &SignIn, host: &str, theme: &Theme) {
    let inner = popup(frame, area, 60, 14, &format!("Sign in to {host}"), theme);
    let mut rows = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .split(inner)
    .to_vec()
    .into_iter();
    let mut next = || rows.next().unwrap_or_default();
    let notice = s.notice.clone().unwrap_or_default();
    frame.render_widget(
        Paragraph::new(Line::styled(notice, theme.warning())).wrap(Wrap { trim: true }),
        next(),
    );
    let field_style = |focused: bool| {
        if focused {
            theme.selected()
        } else {
            theme.text()
        }
    };
    match &s.mode {
        Loadable::Loading => {
            frame.render_widget(
                Paragraph::new("Asking the server how to sign in ..."),
                next(),
            );
        }
        Loadable::Failed(e) => {
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(e.clone(), theme.alert()),
                    Line::from("Press Enter to try again, Esc to quit."),
                ])
                .wrap(Wrap { trim: true }),
                next(),
            );
        }
        Loadable::Ready(SignInMode::Password) => {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    field_label("Username", s.focus == SignInField::Username),
                    theme.label(),
                )),
                next(),
            );
            let mut username = s.username.clone();
            username.set_style(field_style(s.focus == SignInField::Username));
            username.set_cursor_style(if s.focus == SignInField::Username {
                Style::new().add_modifier(ratatui::style::Modifier::REVERSED)
            } else {
                Style::new()
            });
            frame.render_widget(&username, next());
            frame.render_widget(
                Paragraph::new(Span::styled(
                    field_label("Password", s.focus == SignInField::Password),
                    theme.label(),
                )),
                next(),
            );
            let mut password = s.password.clone();
            password.set_style(field_style(s.focus == SignInField::Password));
            password.set_cursor_style(if s.focus == SignInField::Password {
                Style::new().add_modifier(ratatui::style::Modifier::REVERSED)
            } else {
                Style::new()
            });
            frame.render_widget(&password, next());
        }
        Loadable::Ready(SignInMode::Token) => {
            frame.render_widget(
                Paragraph::new("This server signs in on a web page. Paste an API token made on its My Profile page:")
                    .wrap(Wrap { trim: true }),
                next(),
            );
            next();
            frame.render_widget(&s.token, next());
        }
    }
    next();
    let status = if s.busy {
        Line::styled("Signing in ...", theme.dim())
    } else if let Some(e) = &s.error {
        Line::styled(e.clone(), theme.alert())
    } else {
        Line::styled(
            "Tab switches fields · Enter signs in · Esc quits",
            theme.dim(),
        )
    };
    frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), next());
}
