//! State, the one Action enum, a pure `update`, and the runtime that turns Effects into tasks.

pub mod action;
pub mod keymap;
pub mod runtime;
pub mod state;
pub mod tokens;
pub mod update;
pub mod views;
pub mod week_answer;

pub use action::{Action, Effect};
pub use state::App;
pub use update::update;
