//! The session ended (a 401): the server's reason; Enter goes to sign-in, q quits.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::keymap::{Command, Keymap, Scope};
use crate::ui::Theme;
use crate::ui::shell::popup;

use super::step::Step;

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
        let inner = popup(frame, body, 64, 9, "Session ended", theme);
        let text = vec![
            Line::styled("Your session has ended. The server said:", theme.label()),
            Line::from(self.reason.clone()),
            Line::from(""),
            Line::from("Everything on screen is kept. Press Enter to sign in again, q to quit."),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
    }
}
