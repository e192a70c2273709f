//! The help overlay: generated from the keymap, scrolled with j/k.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::keymap::{BINDINGS, Keymap, Scope};
use crate::ui::Theme;
use crate::ui::shell::popup;

use super::step::Step;

#[derive(Debug, Default)]
pub struct Help {
    pub scroll: u16,
}

impl Help {
    pub fn key(&mut self, key: KeyEvent) -> Step {
        let scroll = self.scroll;
        self.scroll = match key.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => return Step::Close,
            KeyCode::Down | KeyCode::Char('j') => scroll.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
            KeyCode::PageDown => scroll.saturating_add(10),
            KeyCode::PageUp => scroll.saturating_sub(10),
            _ => scroll,
        };
        Step::Stay
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        area: Rect,
        keymap: &Keymap,
        config_path: Option<&str>,
        theme: &Theme,
    ) {
        let lines = help_lines(keymap, config_path, theme);
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
        frame.render_widget(
            Paragraph::new(lines).scroll((self.scroll.min(max), 0)),
            inner,
        );
    }
}

/// The help, generated from the keymap so it cannot disagree with it.
pub fn help_lines(keymap: &Keymap, config_path: Option<&str>, theme: &Theme) -> Vec<Line<'static>> {
    let theme = *theme;
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
    lines.extend(help_extra(&theme));
    lines.push(Line::styled("Config".to_string(), theme.heading()));
    let path = config_path.map(str::to_string).unwrap_or_else(|| {
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
