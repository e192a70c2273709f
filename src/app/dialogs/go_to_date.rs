//! Go to a date (Week at a Glance and Calendar, `g`): a one-line date input.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use crate::app::keymap::{Command, Keymap, Scope};
use crate::ui::Theme;
use crate::ui::shell::popup;

use super::step::Step;

#[derive(Debug)]
pub struct GoToDate {
    pub input: TextArea<'static>,
    pub error: Option<String>,
}

impl Default for GoToDate {
    fn default() -> Self {
        let mut input = TextArea::default();
        input.set_placeholder_text("YYYY-MM-DD");
        GoToDate { input, error: None }
    }
}

impl GoToDate {
    pub fn key(&mut self, key: KeyEvent, keymap: &Keymap) -> Step {
        match keymap.lookup_in_any_modifier(&key, Scope::GoToDate) {
            Some(Command::Close) => Step::Close,
            Some(Command::Choose) => {
                let text = self.input.lines().join("");
                let text = text.trim();
                match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    // Weeks around chrono's first and last dates overflow; Ilios has none there.
                    Ok(date) if (1..=9999).contains(&chrono::Datelike::year(&date)) => {
                        Step::GoToDate(date)
                    }
                    parsed => {
                        self.error = Some(match parsed {
                            Ok(_) => format!(
                                "\"{text}\" is outside the years 1 to 9999: pick a date in them"
                            ),
                            Err(_) => format!("\"{text}\" is not a date like 2026-03-10"),
                        });
                        Step::Stay
                    }
                }
            }
            _ => {
                // Text input: the one place keys go to the text area, not the keymap.
                self.input.input(key);
                Step::Stay
            }
        }
    }

    pub fn paste(&mut self, clean: String) {
        self.input.insert_str(clean);
    }

    pub fn draw(&self, frame: &mut Frame, body: Rect, theme: &Theme) {
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
        frame.render_widget(&self.input, field);
        if let Some(e) = &self.error {
            frame.render_widget(
                Paragraph::new(Line::styled(e.clone(), theme.alert())).wrap(Wrap { trim: true }),
                err,
            );
        }
    }
}
