//! Widgets shared by panes: the keyboard calendar, the modal confirm, the flash line, the
//! detail popups' selection and scroll.

pub mod calendar;
pub mod confirm;
pub mod flash;
pub mod popup_scroll;
