//! What a dialog asks of the app after a key. The dialog changes its own state; whatever
//! reaches beyond it (panes, the session, quitting) comes back as a [`Step`] for `update`.

use crate::ui::widgets::flash::FlashKind;

#[derive(Debug)]
pub enum Step {
    /// Keep the dialog open (it may have changed).
    Stay,
    Close,
    /// Close and quit.
    Quit,
    /// Close and show this date (the Calendar in its view, else Week at a Glance at its week).
    GoToDate(chrono::NaiveDate),
    /// Close and show My Profile.
    OpenProfile,
    /// Close and log out.
    Logout,
    /// Close and show the sign-in screen with this notice.
    SignInAgain(String),
    /// Stay, and flash this.
    Flash(FlashKind, String),
    /// Stay (busy): the token invalidation starts.
    StartInvalidation,
    /// Stay, and filter the Calendar's All Events by these.
    CalendarFilters(crate::domain::calendar_filters::CalendarFilters),
    /// Stay: this session learning material's status moves on and is saved.
    CycleStatus(crate::api::models::Id),
}
