//! The confirm dialog (Invalidate All Tokens): its state and keys. Cancel has the focus when it
//! opens, so a stray Enter harms nothing. Drawn with [`ConfirmDialog`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::ui::Theme;
use crate::ui::widgets::confirm::ConfirmDialog;
pub use crate::ui::widgets::confirm::ConfirmFocus;

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

impl ConfirmState {
    pub fn draw(&self, frame: &mut Frame, area: Rect, dialog: &ConfirmDialog, theme: &Theme) {
        dialog.render(frame, area, self.focus, self.busy, theme);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
