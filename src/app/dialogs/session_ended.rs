//! The session ended (a 401): Ilios's own words first, then the server's reason; Enter goes to
//! sign-in, q quits.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::keymap::{Command, Keymap, Scope};
use crate::ui::Theme;
use crate::ui::shell::popup;

use super::step::Step;

/// What the Ilios web client flashes on any 401 (`errors.invalidAuthentication`, raised by
/// `packages/ilios-common/addon/services/fetch.js`): the first line the user reads.
pub const INVALID_AUTHENTICATION: &str =
    "You've been logged out because of invalid authentication.";

#[derive(Debug)]
pub struct SessionEnded {
    pub reason: String,
}

impl SessionEnded {
    pub fn key(&mut self, key: KeyEvent, keymap: &Keymap) -> Step {
        match keymap.lookup_in_any_modifier(&key, Scope::SessionEnded) {
            Some(Command::Choose) => {
                Step::SignInAgain(format!("Your session has ended: {}", self.reason))
            }
            Some(Command::Quit) => Step::Quit,
            _ => Step::Stay,
        }
    }

    pub fn draw(&self, frame: &mut Frame, body: Rect, theme: &Theme) {
        const WIDTH: u16 = 72;
        const KEPT: &str = "Everything on screen is kept. Press Enter to sign in again, q to quit.";
        let texts = [
            INVALID_AUTHENTICATION,
            "",
            "The server said:",
            &self.reason,
            "",
            KEPT,
        ];
        // Tall enough for every wrapped line (borders included), so the keys are never cut off.
        let inner_width = usize::from(WIDTH.min(body.width).saturating_sub(2)).max(1);
        let rows: usize = texts.iter().map(|t| wrapped_rows(t, inner_width)).sum();
        let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
        let inner = popup(frame, body, WIDTH, height, "Session ended", theme);
        let text = vec![
            Line::styled(INVALID_AUTHENTICATION, theme.alert()),
            Line::from(""),
            Line::styled("The server said:", theme.label()),
            Line::from(self.reason.clone()),
            Line::from(""),
            Line::from(KEPT),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
    }
}

/// Rows `text` takes when wrapped at word boundaries to `width` columns (a word longer than the
/// width is cut over several rows).
fn wrapped_rows(text: &str, width: usize) -> usize {
    use unicode_width::UnicodeWidthStr;
    let mut rows = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let w = word.width().max(1);
        let needed = if used == 0 { w } else { used + 1 + w };
        if needed <= width {
            used = needed;
        } else {
            rows += usize::from(used > 0) + (w.saturating_sub(1)) / width;
            used = (w - 1) % width + 1;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::{Terminal, backend::TestBackend};

    fn screen(width: u16, height: u16) -> Vec<String> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let dialog = SessionEnded {
            reason: "Authentication Failed. Invalid JSON Web Token: Not issued after \
                     2027-02-17T18:00:01+00:00 issued on 2027-02-17T18:00:00+00:00 Token expired"
                .into(),
        };
        terminal
            .draw(|f| dialog.draw(f, f.area(), &Theme::default()))
            .unwrap();
        let buf = terminal.backend().buffer();
        (0..height)
            .map(|y| (0..width).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect()
    }

    /// Follows ilios/frontend `packages/ilios-common/addon/services/fetch.js` (a 401 flashes
    /// `errors.invalidAuthentication` from `packages/ilios-common/translations/en-us.yaml`, then
    /// invalidates the session): Ilios's sentence is the first text inside the dialog, before
    /// the server's reason.
    #[test]
    fn ilios_wording_is_the_first_line_read() {
        let rows = screen(80, 24);
        assert!(rows.iter().any(|r| r.contains("q to quit.")), "{rows:#?}");
        let text: Vec<String> = rows
            .iter()
            .map(|r| r.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\''))
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty() && !r.contains("Session ended"))
            .collect();
        assert_eq!(
            text.first().map(String::as_str),
            Some(INVALID_AUTHENTICATION),
            "{rows:#?}"
        );
        let reason_row = text
            .iter()
            .position(|r| r.contains("Authentication Failed"))
            .unwrap();
        assert!(reason_row > 0);
    }
}
