//! Pure draw functions: each pane and widget renders from state and never touches the network.

pub mod calendar;
pub mod calendar_grid;
pub mod material_detail;
pub mod materials;
pub mod profile;
pub mod shell;
pub mod text;
pub mod theme;
pub mod tokens;
pub mod week;
pub mod widgets;

pub use theme::{ColorDepth, Theme};
