//! Widgets shared by panes: the keyboard calendar, the modal confirm, the flash line.

pub mod calendar;
pub mod confirm;
pub mod flash;
