//! State, the one Action enum, a pure `update`, and the runtime that turns Effects into tasks.
//!
//! Rooms: `panes/` (Dashboard and Week at a Glance, My Profile) and `dialogs/` (help, user menu,
//! go to date, event detail, token dialogs, session ended, sign-in) each own their state, keys
//! and drawing. `state` holds them in [`App`], `update` routes keys and answers to them, `view`
//! draws them. See ARCHITECTURE.md.

pub mod action;
pub mod dialogs;
pub mod keymap;
mod last_known;
pub mod material_status;
pub mod panes;
pub mod runtime;
pub mod session;
pub mod state;
pub mod update;
pub mod view;
pub mod week_answer;

pub use action::{Action, Answer, Effect, ProfileAnswer, Stamp};
pub use state::App;
pub use update::update;
