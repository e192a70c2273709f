//! A modal yes/cancel dialog drawn over the pane: the area under it is cleared, the box is centred
//! and fits 80x24. Cancel has the focus when it opens, so a stray Enter harms nothing.

use crate::ui::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfirmFocus {
    Yes,
    #[default]
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmChoice {
    Yes,
    Cancel,
}

/// The dialog's state. `busy` is set by the app once Yes was chosen and the request runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConfirmState {
    pub focus: ConfirmFocus,
    pub busy: bool,
}

impl ConfirmState {
    pub fn new() -> Self {
        Self::default()
    }

    /// Left/Right/Tab/BackTab (and h/l) move the focus, Enter or Space chooses the focused button,
    /// `y` chooses Yes, `n` and Esc choose Cancel. While busy every key is ignored: the request
    /// is already on its way and cannot be taken back.
    pub fn handle_key(&mut self, key: KeyEvent) -> Option<ConfirmChoice> {
        if self.busy
            || key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return None;
        }
        match key.code {
            KeyCode::Left | KeyCode::Right | KeyCode::Tab | KeyCode::BackTab => {
                self.toggle();
                None
            }
            KeyCode::Char('h') => {
                self.focus = ConfirmFocus::Yes;
                None
            }
            KeyCode::Char('l') => {
                self.focus = ConfirmFocus::Cancel;
                None
            }
            KeyCode::Enter | KeyCode::Char(' ') => Some(match self.focus {
                ConfirmFocus::Yes => ConfirmChoice::Yes,
                ConfirmFocus::Cancel => ConfirmChoice::Cancel,
            }),
            KeyCode::Char('y') | KeyCode::Char('Y') => Some(ConfirmChoice::Yes),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Some(ConfirmChoice::Cancel),
            _ => None,
        }
    }

    fn toggle(&mut self) {
        self.focus = match self.focus {
            ConfirmFocus::Yes => ConfirmFocus::Cancel,
            ConfirmFocus::Cancel => ConfirmFocus::Yes,
        };
    }
}

/// What the dialog says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmDialog<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub yes: &'a str,
    pub cancel: &'a str,
    /// Shown instead of the buttons while busy, e.g. "Invalidating tokens ...".
    pub busy_text: &'a str,
}

impl ConfirmDialog<'static> {
    /// The Ilios "Invalidate All Tokens" dialog.
    pub const INVALIDATE_TOKENS: ConfirmDialog<'static> = ConfirmDialog {
        title: "Invalidate All Tokens",
        text: "This will invalidate all existing API tokens and you will need to generate new ones \
               for any applications you have. Are you sure you want to do this?",
        yes: "Yes",
        cancel: "Cancel",
        busy_text: "Invalidating tokens ...",
    };
}

impl ConfirmDialog<'_> {
    /// Draw the dialog centred over `area`, clearing what is under it.
    pub fn render(&self, frame: &mut Frame, area: Rect, state: &ConfirmState, theme: &Theme) {
        let width = area.width.min(60);
        let inner_width = width.saturating_sub(4).max(1) as usize;
        let text = wrap(self.text, inner_width);
        // border, text, blank, buttons, blank, hint, border
        let height = (text.len() as u16 + 6).min(area.height);
        let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
        frame.render_widget(Clear, popup);

        let mut lines: Vec<Line> = text
            .into_iter()
            .map(|l| Line::styled(l, theme.text()))
            .collect();
        lines.push(Line::default());
        if state.busy {
            lines.push(Line::styled(self.busy_text.to_string(), theme.warning()));
            lines.push(Line::default());
            lines.push(Line::styled("Please wait", theme.dim()));
        } else {
            let button = |label: &str, focused: bool| {
                let style = if focused {
                    theme.selected()
                } else {
                    theme.text()
                };
                Span::styled(format!("[ {label} ]"), style)
            };
            lines.push(Line::from(vec![
                button(self.yes, state.focus == ConfirmFocus::Yes),
                Span::raw("  "),
                button(self.cancel, state.focus == ConfirmFocus::Cancel),
            ]));
            lines.push(Line::default());
            lines.push(Line::styled(
                "y yes · n/Esc cancel · Tab move · Enter choose",
                theme.dim(),
            ));
        }
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(format!(" {} ", self.title), theme.title()))
            .padding(ratatui::widgets::Padding::horizontal(1));
        frame.render_widget(Paragraph::new(lines).block(block), popup);
    }
}

/// Greedy word wrap to `width` columns; a word longer than the width is split between grapheme
/// clusters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    crate::ui::text::wrap(text, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Modifier;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn opens_on_cancel_so_enter_cancels() {
        let mut s = ConfirmState::new();
        assert_eq!(s.focus, ConfirmFocus::Cancel);
        assert_eq!(
            s.handle_key(key(KeyCode::Enter)),
            Some(ConfirmChoice::Cancel)
        );
    }

    #[test]
    fn shortcuts_and_movement() {
        let mut s = ConfirmState::new();
        assert_eq!(
            s.handle_key(key(KeyCode::Char('y'))),
            Some(ConfirmChoice::Yes)
        );
        assert_eq!(
            s.handle_key(key(KeyCode::Char('n'))),
            Some(ConfirmChoice::Cancel)
        );
        assert_eq!(s.handle_key(key(KeyCode::Esc)), Some(ConfirmChoice::Cancel));
        assert_eq!(s.handle_key(key(KeyCode::Left)), None);
        assert_eq!(s.focus, ConfirmFocus::Yes);
        assert_eq!(s.handle_key(key(KeyCode::Enter)), Some(ConfirmChoice::Yes));
        assert_eq!(s.handle_key(key(KeyCode::Tab)), None);
        assert_eq!(s.focus, ConfirmFocus::Cancel);
        assert_eq!(s.handle_key(key(KeyCode::Right)), None);
        assert_eq!(s.focus, ConfirmFocus::Yes);
        assert_eq!(s.handle_key(key(KeyCode::Char('x'))), None);
        assert_eq!(
            s.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL)),
            None,
            "Ctrl-y is not y"
        );
    }

    #[test]
    fn busy_ignores_keys() {
        let mut s = ConfirmState {
            focus: ConfirmFocus::Yes,
            busy: true,
        };
        assert_eq!(s.handle_key(key(KeyCode::Enter)), None);
        assert_eq!(s.handle_key(key(KeyCode::Esc)), None);
    }

    #[test]
    fn wrap_words_and_long_words() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), Vec::<String>::new());
    }

    fn draw(state: ConfirmState) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| {
                let area = frame.area();
                // Something under the dialog, to show it is cleared.
                let under = "My Profile pane text that the dialog covers. ".repeat(40);
                frame.render_widget(
                    Paragraph::new(under).wrap(ratatui::widgets::Wrap { trim: true }),
                    area,
                );
                ConfirmDialog::INVALIDATE_TOKENS.render(frame, area, &state, &Theme::default());
            })
            .unwrap();
        terminal
    }

    #[test]
    fn snapshot_idle() {
        let t = draw(ConfirmState::new());
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn snapshot_busy() {
        let t = draw(ConfirmState {
            focus: ConfirmFocus::Yes,
            busy: true,
        });
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn focused_button_is_reversed() {
        let t = draw(ConfirmState::new());
        let buf = t.backend().buffer();
        let find = |needle: &str| {
            (0..buf.area.height)
                .find_map(|y| {
                    let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
                    row.find(needle)
                        .map(|b| (row[..b].chars().count() as u16, y))
                })
                .unwrap()
        };
        let (x, y) = find("[ Cancel ]");
        assert!(buf[(x + 2, y)].modifier.contains(Modifier::REVERSED));
        let (x, y) = find("[ Yes ]");
        assert!(!buf[(x + 2, y)].modifier.contains(Modifier::REVERSED));
    }
}
