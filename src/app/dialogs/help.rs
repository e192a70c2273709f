//! The help overlay: generated from the keymap, scrolled with j/k.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::keymap::{BINDINGS, Command, Keymap, Scope};
use crate::ui::Theme;
use crate::ui::shell::popup;

use super::step::Step;

#[derive(Debug, Default)]
pub struct Help {
    pub scroll: u16,
}

impl Help {
    pub fn key(&mut self, key: KeyEvent, keymap: &Keymap) -> Step {
        let scroll = self.scroll;
        self.scroll = match keymap.lookup_in_any_modifier(&key, Scope::Help) {
            Some(Command::Close) => return Step::Close,
            Some(Command::Down) => scroll.saturating_add(1),
            Some(Command::Up) => scroll.saturating_sub(1),
            Some(Command::PageDown) => scroll.saturating_add(10),
            Some(Command::PageUp) => scroll.saturating_sub(10),
            Some(Command::Top) => 0,
            // Clamped to the last page when drawn.
            Some(Command::Bottom) => u16::MAX,
            _ => scroll,
        };
        Step::Stay
    }

    pub fn draw(
        &mut self,
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
        // Kept within the page, so `k` after `G` moves up at once.
        self.scroll = self.scroll.min(max);
        frame.render_widget(Paragraph::new(lines).scroll((self.scroll, 0)), inner);
    }
}

/// Each scope's heading in the help, in the order shown.
const HELP_SCOPES: [(Scope, &str); 16] = [
    (Scope::Global, "Everywhere"),
    (Scope::Glance, "Dashboard and Week at a Glance"),
    (Scope::Week, "Week at a Glance"),
    (Scope::Profile, "My Profile"),
    (Scope::Materials, "My Materials"),
    (Scope::CalendarPane, "Calendar"),
    (
        Scope::CalendarFilters,
        "Calendar filters (f under All Events)",
    ),
    (Scope::Calendar, "Token expiry calendar"),
    (Scope::NewToken, "New token"),
    (
        Scope::EventDetail,
        "Event or material detail (Enter on an event or a material)",
    ),
    (Scope::Confirm, "Confirm dialog"),
    (Scope::GoToDate, "Go to a date"),
    (Scope::UserMenu, "User menu"),
    (Scope::Help, "This help"),
    (Scope::SessionEnded, "Session ended"),
    (Scope::SignIn, "Sign-in screen"),
];

/// The help, generated from the keymap so it cannot disagree with it.
pub fn help_lines(keymap: &Keymap, config_path: Option<&str>, theme: &Theme) -> Vec<Line<'static>> {
    let theme = *theme;
    let row = |keys: String, what: &str| {
        Line::from(vec![
            Span::styled(format!("  {keys:<16}"), theme.label()),
            Span::raw(what.to_string()),
        ])
    };
    let mut lines = Vec::new();
    for (scope, heading) in HELP_SCOPES {
        lines.push(Line::styled(heading.to_string(), theme.heading()));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            lines.push(row(keymap.describe_in(scope, b.command), b.help));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::styled("Marks on events", theme.heading()));
    lines.extend(
        crate::ui::week::MARK_LEGEND
            .iter()
            .map(|(mark, meaning)| row(mark.to_string(), meaning)),
    );
    // The Calendar's marks before a time in its grids and month cells.
    lines.extend(
        crate::ui::calendar_grid::CALENDAR_MARK_LEGEND
            .iter()
            .map(|(mark, meaning)| row(mark.to_string(), &format!("{meaning} (Calendar)"))),
    );
    // The status boxes before session materials (when the server keeps statuses).
    lines.extend(
        crate::ui::week::STATUS_LEGEND
            .iter()
            .map(|(utf8, ascii, meaning)| {
                let mark = if theme.ascii { ascii } else { utf8 };
                row(mark.to_string(), meaning)
            }),
    );
    lines.push(Line::from(""));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_shows_the_last_line_and_k_moves_up_from_there() {
        use crossterm::event::{KeyCode, KeyModifiers};
        let keymap = Keymap::default();
        let theme = Theme::default();
        let last = help_lines(&keymap, None, &theme)
            .last()
            .map(|l| l.to_string())
            .unwrap();
        let draw = |help: &mut Help| {
            let mut terminal =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
            terminal
                .draw(|f| help.draw(f, f.area(), &keymap, None, &theme))
                .unwrap();
            terminal.backend().to_string()
        };
        let mut help = Help::default();
        assert!(
            !draw(&mut help).contains(last.trim()),
            "the help is longer than 24 rows"
        );
        for end in [KeyCode::End, KeyCode::Char('G')] {
            let mut help = Help::default();
            help.key(KeyEvent::new(end, KeyModifiers::NONE), &keymap);
            assert!(
                draw(&mut help).contains(last.trim()),
                "{end:?}: the last line is shown"
            );
            let bottom = help.scroll;
            help.key(
                KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE),
                &keymap,
            );
            assert_eq!(help.scroll, bottom - 1, "k moves up at once");
            help.key(KeyEvent::new(KeyCode::Home, KeyModifiers::NONE), &keymap);
            assert_eq!(help.scroll, 0);
        }
    }

    #[test]
    fn every_scope_has_a_heading_and_the_help_lists_every_binding() {
        let theme = Theme::default();
        let text: Vec<String> = help_lines(&Keymap::default(), Some("c.toml"), &theme)
            .iter()
            .map(|l| l.to_string())
            .collect();
        for b in BINDINGS {
            assert!(
                HELP_SCOPES.iter().any(|(s, _)| *s == b.scope),
                "{:?} has no heading",
                b.scope
            );
            assert!(
                text.iter().any(|l| l.ends_with(b.help)),
                "{} is not in the help",
                b.name
            );
        }
        // The confirm dialog's h/l and Space are listed.
        for keys in ["h ", "l ", "Enter/Space"] {
            assert!(
                text.iter().any(|l| l.trim_start().starts_with(keys)),
                "{keys}"
            );
        }
    }
}
