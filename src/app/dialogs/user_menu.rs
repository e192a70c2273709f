//! The user menu under the name in the header: My Profile, Logout.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::ui::Theme;

use super::step::Step;

pub const USER_MENU_ITEMS: [&str; 2] = ["My Profile", "Logout"];

#[derive(Debug, Default)]
pub struct UserMenu {
    pub selected: usize,
}

impl UserMenu {
    pub fn key(&mut self, key: KeyEvent) -> Step {
        let n = USER_MENU_ITEMS.len();
        let selected = self.selected;
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.selected = (selected + 1) % n,
            KeyCode::Up | KeyCode::Char('k') => self.selected = (selected + n - 1) % n,
            KeyCode::Enter => {
                return match selected {
                    0 => Step::OpenProfile,
                    _ => Step::Logout,
                };
            }
            KeyCode::Esc | KeyCode::Tab | KeyCode::Left | KeyCode::Right | KeyCode::Char('u') => {
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
