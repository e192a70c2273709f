//! Manage API Tokens: the create form and the invalidate confirm, as one overlay.

use crossterm::event::KeyEvent;

use crate::api::{ApiError, Token};

use super::action::Effect;
use super::keymap::Command;
use super::state::{App, Overlay};

#[derive(Debug)]
pub enum TokenOverlay {}

pub fn open(_app: &mut App, _command: Command) {}

pub fn on_created(_app: &mut App, _result: Result<Token, ApiError>, _fx: &mut Vec<Effect>) {}

pub fn on_invalidated(_app: &mut App, _result: Result<Token, ApiError>, _fx: &mut Vec<Effect>) {}

pub fn key(
    _app: &mut App,
    t: TokenOverlay,
    _key: KeyEvent,
    _fx: &mut Vec<Effect>,
) -> Option<Overlay> {
    match t {}
}
