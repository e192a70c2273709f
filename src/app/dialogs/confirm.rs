//! The confirm dialog (Invalidate All Tokens): its state and keys. Cancel has the focus when it
//! opens, so a stray Enter harms nothing. Drawn with [`ConfirmDialog`].

use crossterm::event::{KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::keymap::{Command, Keymap, Scope};
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
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<ConfirmChoice> {
        if self.busy
            || key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return None;
        }
        match keymap.lookup_in(&key, Scope::Confirm)? {
            Command::ToggleFocus => {
                self.toggle();
                None
            }
            Command::FocusYes => {
                self.focus = ConfirmFocus::Yes;
                None
            }
            Command::FocusCancel => {
                self.focus = ConfirmFocus::Cancel;
                None
            }
            Command::Choose => Some(match self.focus {
                ConfirmFocus::Yes => ConfirmChoice::Yes,
                ConfirmFocus::Cancel => ConfirmChoice::Cancel,
            }),
            Command::Yes => Some(ConfirmChoice::Yes),
            Command::Cancel => Some(ConfirmChoice::Cancel),
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
    use crossterm::event::KeyCode;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn opens_on_cancel_so_enter_cancels() {
        let mut s = ConfirmState::new();
        assert_eq!(s.focus, ConfirmFocus::Cancel);
        assert_eq!(
            s.handle_key(key(KeyCode::Enter), &Keymap::default()),
            Some(ConfirmChoice::Cancel)
        );
    }

    #[test]
    fn shortcuts_and_movement() {
        let mut s = ConfirmState::new();
        assert_eq!(
            s.handle_key(key(KeyCode::Char('y')), &Keymap::default()),
            Some(ConfirmChoice::Yes)
        );
        assert_eq!(
            s.handle_key(key(KeyCode::Char('n')), &Keymap::default()),
            Some(ConfirmChoice::Cancel)
        );
        assert_eq!(
            s.handle_key(key(KeyCode::Esc), &Keymap::default()),
            Some(ConfirmChoice::Cancel)
        );
        assert_eq!(s.handle_key(key(KeyCode::Left), &Keymap::default()), None);
        assert_eq!(s.focus, ConfirmFocus::Yes);
        assert_eq!(
            s.handle_key(key(KeyCode::Enter), &Keymap::default()),
            Some(ConfirmChoice::Yes)
        );
        assert_eq!(s.handle_key(key(KeyCode::Tab), &Keymap::default()), None);
        assert_eq!(s.focus, ConfirmFocus::Cancel);
        assert_eq!(s.handle_key(key(KeyCode::Right), &Keymap::default()), None);
        assert_eq!(s.focus, ConfirmFocus::Yes);
        assert_eq!(
            s.handle_key(key(KeyCode::Char('x')), &Keymap::default()),
            None
        );
        assert_eq!(
            s.handle_key(
                KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL),
                &Keymap::default()
            ),
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
        assert_eq!(s.handle_key(key(KeyCode::Enter), &Keymap::default()), None);
        assert_eq!(s.handle_key(key(KeyCode::Esc), &Keymap::default()), None);
    }
}
