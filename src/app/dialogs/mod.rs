//! The dialogs: at most one is open at a time and it takes the keys while open. Each room owns
//! its state, its keys (answering with a [`Step`]) and its drawing; the sign-in screen is here
//! too, as it takes the keys the same way.

pub mod calendar_filters;
pub mod confirm;
pub mod event_detail;
pub mod go_to_date;
pub mod help;
pub mod material_detail;
pub mod session_ended;
pub mod sign_in;
pub mod step;
pub mod tokens;
pub mod user_menu;

pub use calendar_filters::FiltersDialog;
pub use confirm::ConfirmState;
pub use event_detail::EventDetail;
pub use go_to_date::GoToDate;
pub use help::Help;
pub use material_detail::MaterialDetail;
pub use session_ended::SessionEnded;
pub use sign_in::{SignIn, SignInField, SignInMode};
pub use step::Step;
pub use tokens::TokenForm;
pub use user_menu::{USER_MENU_ITEMS, UserMenu};

/// The open dialog (static dispatch: `update` and the drawing match on it).
// One dialog at a time lives in the state; its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Dialog {
    Help(Help),
    UserMenu(UserMenu),
    SessionEnded(SessionEnded),
    GoToDate(GoToDate),
    EventDetail(EventDetail),
    /// Enter on a My Materials row.
    MaterialDetail(MaterialDetail),
    /// Create New (API token).
    NewToken(TokenForm),
    /// Invalidate All Tokens.
    InvalidateTokens(ConfirmState),
    /// The Calendar's All Events filters.
    CalendarFilters(FiltersDialog),
}
