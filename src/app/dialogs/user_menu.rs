//! The user menu under the name in the header: My Profile, Logout.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::keymap::{Command, Keymap, Scope};
use crate::ui::Theme;

use super::step::Step;

pub const USER_MENU_ITEMS: [&str; 2] = ["My Profile", "Logout"];

#[derive(Debug, Default)]
pub struct UserMenu {
    pub selected: usize,
}

impl UserMenu {
    pub fn key(&mut self, key: KeyEvent, keymap: &Keymap) -> Step {
        let n = USER_MENU_ITEMS.len();
        let selected = self.selected;
        match keymap.lookup_in_any_modifier(&key, Scope::UserMenu) {
            Some(Command::Down) => self.selected = (selected + 1) % n,
            Some(Command::Up) => self.selected = (selected + n - 1) % n,
            Some(Command::Choose) => {
                return match selected {
                    0 => Step::OpenProfile,
                    _ => Step::Logout,
                };
            }
            Some(Command::Close) => {
                return Step::Close;
            }
            _ => {}
        }
        Step::Stay
    }

    /// Drawn under the header's right end (`full` is the whole screen).
    pub fn draw(&self, frame: &mut Frame, full: Rect, theme: &Theme) {
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
                let style = if i == self.selected {
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
}
