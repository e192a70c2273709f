//! The one keymap. Key handling and the help overlay are both generated from [`BINDINGS`], so
//! they cannot drift apart. `[keys]` in the config replaces the keys of a command by name.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The scopes looked up in each pane (Dashboard, Week at a Glance, My Profile, Materials,
/// Calendar), pane first.
pub const PANE_SCOPES: [&[Scope]; 5] = [
    &[Scope::Dashboard, Scope::Glance],
    &[Scope::Week, Scope::Glance],
    &[Scope::Profile],
    &[Scope::Materials],
    &[Scope::CalendarPane],
];

/// Where a command applies. Pane commands win over global ones in their pane. A dialog's scope
/// is looked up alone while it is open (no global fallback).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Dashboard,
    Week,
    /// Dashboard and Week at a Glance.
    Glance,
    Profile,
    /// My Materials.
    Materials,
    /// The Calendar pane (`5`; not the token expiry calendar, [`Scope::Calendar`]).
    CalendarPane,
    /// The help overlay.
    Help,
    /// The user menu under the name in the header.
    UserMenu,
    /// Go to a date (other keys are typed into the date field).
    GoToDate,
    /// The event detail popup.
    EventDetail,
    /// The Calendar's All Events filters.
    CalendarFilters,
    /// Create New: the token expiry calendar.
    Calendar,
    /// Create New: the new token, shown once.
    NewToken,
    /// A confirm dialog (Invalidate All Tokens).
    Confirm,
    /// The session ended.
    SessionEnded,
    /// The sign-in screen (other keys are typed into the focused field).
    SignIn,
}

impl Scope {
    /// A dialog's scope (its keys cannot be changed under `[keys]` yet).
    pub fn is_dialog(self) -> bool {
        !matches!(
            self,
            Scope::Global
                | Scope::Dashboard
                | Scope::Week
                | Scope::Glance
                | Scope::Profile
                | Scope::Materials
                | Scope::CalendarPane
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    Quit,
    Help,
    Refresh,
    NextPane,
    PrevPane,
    Dashboard,
    WeekPane,
    ProfilePane,
    MaterialsPane,
    /// My Materials: "Next 60 days" or "All Materials".
    ToggleRange,
    /// My Materials: sort by the next column, or reverse the order.
    NextSortColumn,
    ReverseSort,
    /// My Materials: the next or previous course of the course filter.
    NextCourse,
    PrevCourse,
    /// My Materials: type into the text filter.
    EditFilter,
    /// My Materials: move the selected session material's status on.
    CycleStatus,
    CalendarPane,
    UserMenu,
    /// Copy the calendar feed's address and show it alone.
    CopyIcsLink,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Expand,
    PrevWeek,
    NextWeek,
    ThisWeek,
    GoToDate,
    NewToken,
    InvalidateTokens,
    NextSchool,
    PrevSchool,
    NextYear,
    PrevYear,
    DayView,
    WeekView,
    MonthView,
    /// Calendar: My Schedule or All Events.
    ToggleAllEvents,
    /// Calendar: the All Events filters dialog.
    CalendarFilters,
    /// Calendar filters: check or uncheck the selected choice; clear them all.
    ToggleChoice,
    ClearFilters,
    /// Calendar: the day or week grid an hour earlier or later.
    HourEarlier,
    HourLater,
    /// Calendar: one day, week or month back (as the view).
    Back,
    Forward,
    Today,
    // Dialogs.
    /// Close the dialog (or cancel).
    Close,
    /// Choose what is selected or focused (or submit).
    Choose,
    NextLink,
    PrevLink,
    Copy,
    /// Show a text alone, without borders, so a mouse selection takes it whole.
    PlainView,
    DayBack,
    DayOn,
    WeekBack,
    WeekOn,
    PrevMonth,
    NextMonth,
    FirstDate,
    LastDate,
    DefaultDate,
    ToggleFocus,
    FocusYes,
    FocusCancel,
    Yes,
    Cancel,
    NextField,
}

pub struct Binding {
    pub command: Command,
    /// The name used in `[keys]`.
    pub name: &'static str,
    pub scope: Scope,
    pub help: &'static str,
    pub keys: &'static [&'static str],
}

const fn b(
    command: Command,
    name: &'static str,
    scope: Scope,
    help: &'static str,
    keys: &'static [&'static str],
) -> Binding {
    Binding {
        command,
        name,
        scope,
        help,
        keys,
    }
}

/// Every command, its default keys (vim keys and arrows both), and its help line.
pub const BINDINGS: &[Binding] = &[
    b(
        Command::Quit,
        "quit",
        Scope::Global,
        "Quit",
        &["q", "ctrl-c"],
    ),
    b(
        Command::Help,
        "help",
        Scope::Global,
        "Show or hide this help",
        &["?"],
    ),
    b(
        Command::Refresh,
        "refresh",
        Scope::Global,
        "Reload the current pane",
        &["r"],
    ),
    b(
        Command::Dashboard,
        "dashboard",
        Scope::Global,
        "Dashboard",
        &["1"],
    ),
    b(
        Command::WeekPane,
        "week",
        Scope::Global,
        "Week at a Glance",
        &["2"],
    ),
    b(
        Command::ProfilePane,
        "profile",
        Scope::Global,
        "My Profile",
        &["3"],
    ),
    b(
        Command::MaterialsPane,
        "materials",
        Scope::Global,
        "My Materials",
        &["4"],
    ),
    b(
        Command::ToggleRange,
        "materials_range",
        Scope::Materials,
        "Next 60 days / All Materials",
        &["a"],
    ),
    b(
        Command::NextSortColumn,
        "materials_sort",
        Scope::Materials,
        "Sort by the next column (Title, Session, Course, Date)",
        &["s"],
    ),
    b(
        Command::ReverseSort,
        "materials_reverse",
        Scope::Materials,
        "Reverse the order",
        &["S"],
    ),
    b(
        Command::NextCourse,
        "materials_next_course",
        Scope::Materials,
        "Next course (All Courses first)",
        &["c"],
    ),
    b(
        Command::PrevCourse,
        "materials_prev_course",
        Scope::Materials,
        "Previous course",
        &["C"],
    ),
    b(
        Command::EditFilter,
        "materials_filter",
        Scope::Materials,
        "Filter by text (Enter or Esc ends typing)",
        &["/"],
    ),
    b(
        Command::Open,
        "materials_open",
        Scope::Materials,
        "Open the selected material's detail",
        &["enter"],
    ),
    b(
        Command::CycleStatus,
        "materials_status",
        Scope::Materials,
        "Status: Not Started, In Progress, Complete",
        &["x", "space"],
    ),
    b(
        Command::CalendarPane,
        "calendar",
        Scope::Global,
        "Calendar",
        &["5"],
    ),
    b(
        Command::CopyIcsLink,
        "ics_link",
        Scope::Global,
        "Copy My ICS Link (and show it alone, to select)",
        &["L"],
    ),
    b(
        Command::NextPane,
        "next_pane",
        Scope::Global,
        "Next pane",
        &["tab"],
    ),
    b(
        Command::PrevPane,
        "prev_pane",
        Scope::Global,
        "Previous pane",
        &["backtab"],
    ),
    b(
        Command::UserMenu,
        "user_menu",
        Scope::Global,
        "User menu (My Profile, Logout)",
        &["u"],
    ),
    b(
        Command::Up,
        "up",
        Scope::Global,
        "Previous event / scroll up",
        &["k", "up"],
    ),
    b(
        Command::Down,
        "down",
        Scope::Global,
        "Next event / scroll down",
        &["j", "down"],
    ),
    b(
        Command::PageUp,
        "page_up",
        Scope::Global,
        "Page up",
        &["pageup", "ctrl-u"],
    ),
    b(
        Command::PageDown,
        "page_down",
        Scope::Global,
        "Page down",
        &["pagedown", "ctrl-d"],
    ),
    b(Command::Top, "top", Scope::Global, "Top", &["g", "home"]),
    b(
        Command::Bottom,
        "bottom",
        Scope::Global,
        "Bottom",
        &["G", "end"],
    ),
    b(
        Command::PrevWeek,
        "prev_week",
        Scope::Week,
        "Previous week",
        &["h", "left"],
    ),
    b(
        Command::NextWeek,
        "next_week",
        Scope::Week,
        "Next week",
        &["l", "right"],
    ),
    b(
        Command::ThisWeek,
        "this_week",
        Scope::Week,
        "This week",
        &["t"],
    ),
    b(
        Command::GoToDate,
        "go_to_date",
        Scope::Week,
        "Go to a date (Home: top)",
        &["g"],
    ),
    b(
        Command::Open,
        "open",
        Scope::Glance,
        "Open the selected event",
        &["enter"],
    ),
    b(
        Command::Expand,
        "expand",
        Scope::Glance,
        "Expand or collapse the description",
        &["e", "space"],
    ),
    b(
        Command::NewToken,
        "new_token",
        Scope::Profile,
        "Create New API token",
        &["n"],
    ),
    b(
        Command::InvalidateTokens,
        "invalidate_tokens",
        Scope::Profile,
        "Invalidate All Tokens",
        &["i"],
    ),
    b(
        Command::NextSchool,
        "next_school",
        Scope::Profile,
        "Permissions: next school",
        &["s"],
    ),
    b(
        Command::PrevSchool,
        "prev_school",
        Scope::Profile,
        "Permissions: previous school",
        &["S"],
    ),
    b(
        Command::NextYear,
        "next_year",
        Scope::Profile,
        "Permissions: next academic year",
        &["y"],
    ),
    b(
        Command::PrevYear,
        "prev_year",
        Scope::Profile,
        "Permissions: previous academic year",
        &["Y"],
    ),
    b(
        Command::Expand,
        "toggle_permissions",
        Scope::Profile,
        "Permissions: collapse or expand the sections",
        &["e", "space"],
    ),
    b(
        Command::DayView,
        "calendar_day",
        Scope::CalendarPane,
        "Calendar: day view",
        &["d"],
    ),
    b(
        Command::WeekView,
        "calendar_week",
        Scope::CalendarPane,
        "Calendar: week view",
        &["w"],
    ),
    b(
        Command::MonthView,
        "calendar_month",
        Scope::CalendarPane,
        "Calendar: month view",
        &["m"],
    ),
    b(
        Command::Back,
        "calendar_back",
        Scope::CalendarPane,
        "Back one day, week or month",
        &["h", "left"],
    ),
    b(
        Command::Forward,
        "calendar_forward",
        Scope::CalendarPane,
        "Forward one day, week or month",
        &["l", "right"],
    ),
    b(
        Command::HourEarlier,
        "calendar_hour_earlier",
        Scope::CalendarPane,
        "Day and week grid: an hour earlier",
        &["K", "ctrl-y"],
    ),
    b(
        Command::HourLater,
        "calendar_hour_later",
        Scope::CalendarPane,
        "Day and week grid: an hour later",
        &["J", "ctrl-e"],
    ),
    b(
        Command::Today,
        "calendar_today",
        Scope::CalendarPane,
        "Today",
        &["t"],
    ),
    b(
        Command::GoToDate,
        "calendar_go_to_date",
        Scope::CalendarPane,
        "Go to a date (Home: top)",
        &["g"],
    ),
    b(
        Command::Open,
        "calendar_open",
        Scope::CalendarPane,
        "Open the selected event",
        &["enter"],
    ),
    b(
        Command::ToggleAllEvents,
        "calendar_all_events",
        Scope::CalendarPane,
        "My Schedule / All Events",
        &["a"],
    ),
    b(
        Command::NextSchool,
        "calendar_next_school",
        Scope::CalendarPane,
        "All Events: next school (with more than one)",
        &["s"],
    ),
    b(
        Command::CalendarFilters,
        "calendar_filters",
        Scope::CalendarPane,
        "All Events: filters",
        &["f"],
    ),
    b(
        Command::Down,
        "calendar_filters.down",
        Scope::CalendarFilters,
        "Next choice",
        &["j", "down"],
    ),
    b(
        Command::Up,
        "calendar_filters.up",
        Scope::CalendarFilters,
        "Previous choice",
        &["k", "up"],
    ),
    b(
        Command::ToggleChoice,
        "calendar_filters.toggle",
        Scope::CalendarFilters,
        "Check or uncheck the choice",
        &["space", "x", "enter"],
    ),
    b(
        Command::NextField,
        "calendar_filters.next_kind",
        Scope::CalendarFilters,
        "Next kind (Session Types, Course Levels, Cohorts, Courses, Terms)",
        &["tab", "l", "right"],
    ),
    b(
        Command::PrevLink,
        "calendar_filters.prev_kind",
        Scope::CalendarFilters,
        "Previous kind",
        &["backtab", "h", "left"],
    ),
    b(
        Command::ClearFilters,
        "calendar_filters.clear",
        Scope::CalendarFilters,
        "Clear every filter",
        &["c"],
    ),
    b(
        Command::Close,
        "calendar_filters.close",
        Scope::CalendarFilters,
        "Close the filters",
        &["esc", "q", "f"],
    ),
    // Dialogs: looked up only while the dialog is open.
    b(
        Command::Close,
        "help.close",
        Scope::Help,
        "Close the help",
        &["esc", "?", "q"],
    ),
    b(
        Command::Down,
        "help.down",
        Scope::Help,
        "Scroll down",
        &["j", "down"],
    ),
    b(
        Command::Up,
        "help.up",
        Scope::Help,
        "Scroll up",
        &["k", "up"],
    ),
    b(
        Command::PageDown,
        "help.page_down",
        Scope::Help,
        "Page down",
        &["pagedown"],
    ),
    b(
        Command::PageUp,
        "help.page_up",
        Scope::Help,
        "Page up",
        &["pageup"],
    ),
    b(Command::Top, "help.top", Scope::Help, "Top", &["g", "home"]),
    b(
        Command::Bottom,
        "help.bottom",
        Scope::Help,
        "Bottom",
        &["G", "end"],
    ),
    b(
        Command::Down,
        "user_menu.down",
        Scope::UserMenu,
        "Next item",
        &["j", "down"],
    ),
    b(
        Command::Up,
        "user_menu.up",
        Scope::UserMenu,
        "Previous item",
        &["k", "up"],
    ),
    b(
        Command::Choose,
        "user_menu.choose",
        Scope::UserMenu,
        "Open the item",
        &["enter"],
    ),
    b(
        Command::Close,
        "user_menu.close",
        Scope::UserMenu,
        "Close the menu",
        &["esc", "tab", "left", "right", "u"],
    ),
    b(
        Command::Choose,
        "go_to_date.choose",
        Scope::GoToDate,
        "Go to the date typed",
        &["enter"],
    ),
    b(
        Command::Close,
        "go_to_date.close",
        Scope::GoToDate,
        "Cancel",
        &["esc"],
    ),
    b(
        Command::NextLink,
        "event.next_link",
        Scope::EventDetail,
        "Select the next link",
        &["j", "down", "tab"],
    ),
    b(
        Command::PrevLink,
        "event.prev_link",
        Scope::EventDetail,
        "Select the previous link",
        &["k", "up", "backtab"],
    ),
    b(
        Command::Copy,
        "event.copy",
        Scope::EventDetail,
        "Copy the selected link (OSC 52)",
        &["c"],
    ),
    b(
        Command::CycleStatus,
        "event.status",
        Scope::EventDetail,
        "Selected material's status: Not Started, In Progress, Complete",
        &["x", "space"],
    ),
    b(
        Command::PageDown,
        "event.page_down",
        Scope::EventDetail,
        "Scroll down",
        &["pagedown"],
    ),
    b(
        Command::PageUp,
        "event.page_up",
        Scope::EventDetail,
        "Scroll up",
        &["pageup"],
    ),
    b(
        Command::Close,
        "event.close",
        Scope::EventDetail,
        "Close",
        &["esc", "q", "enter"],
    ),
    b(
        Command::DayBack,
        "calendar.day_back",
        Scope::Calendar,
        "One day back",
        &["h", "left"],
    ),
    b(
        Command::DayOn,
        "calendar.day_on",
        Scope::Calendar,
        "One day on",
        &["l", "right"],
    ),
    b(
        Command::WeekBack,
        "calendar.week_back",
        Scope::Calendar,
        "One week back",
        &["k", "up"],
    ),
    b(
        Command::WeekOn,
        "calendar.week_on",
        Scope::Calendar,
        "One week on",
        &["j", "down"],
    ),
    b(
        Command::PrevMonth,
        "calendar.prev_month",
        Scope::Calendar,
        "One month back",
        &["pageup", "["],
    ),
    b(
        Command::NextMonth,
        "calendar.next_month",
        Scope::Calendar,
        "One month on",
        &["pagedown", "]"],
    ),
    b(
        Command::FirstDate,
        "calendar.first",
        Scope::Calendar,
        "First allowed date",
        &["home"],
    ),
    b(
        Command::LastDate,
        "calendar.last",
        Scope::Calendar,
        "Last allowed date",
        &["end"],
    ),
    b(
        Command::DefaultDate,
        "calendar.default",
        Scope::Calendar,
        "Back to the default (today + 14 days)",
        &["t"],
    ),
    b(
        Command::Choose,
        "calendar.create",
        Scope::Calendar,
        "Create the token",
        &["enter"],
    ),
    b(
        Command::Close,
        "calendar.close",
        Scope::Calendar,
        "Cancel",
        &["esc"],
    ),
    b(
        Command::Copy,
        "new_token.copy",
        Scope::NewToken,
        "Copy the new token (OSC 52)",
        &["c"],
    ),
    b(
        Command::PlainView,
        "new_token.plain",
        Scope::NewToken,
        "Show the token alone on one line, to select with the mouse",
        &["v"],
    ),
    b(
        Command::Close,
        "new_token.close",
        Scope::NewToken,
        "Close (the token leaves the screen)",
        &["esc"],
    ),
    b(
        Command::ToggleFocus,
        "confirm.toggle",
        Scope::Confirm,
        "Move between Yes and Cancel (Cancel first)",
        &["left", "right", "tab", "backtab"],
    ),
    b(
        Command::FocusYes,
        "confirm.focus_yes",
        Scope::Confirm,
        "Focus Yes",
        &["h"],
    ),
    b(
        Command::FocusCancel,
        "confirm.focus_cancel",
        Scope::Confirm,
        "Focus Cancel",
        &["l"],
    ),
    b(
        Command::Choose,
        "confirm.choose",
        Scope::Confirm,
        "Choose the focused button",
        &["enter", "space"],
    ),
    b(
        Command::Yes,
        "confirm.yes",
        Scope::Confirm,
        "Yes",
        &["y", "Y"],
    ),
    b(
        Command::Cancel,
        "confirm.cancel",
        Scope::Confirm,
        "Cancel",
        &["n", "N", "esc"],
    ),
    b(
        Command::Choose,
        "session_ended.sign_in",
        Scope::SessionEnded,
        "Sign in again",
        &["enter"],
    ),
    b(
        Command::Quit,
        "session_ended.quit",
        Scope::SessionEnded,
        "Quit",
        &["q"],
    ),
    b(
        Command::NextField,
        "sign_in.next_field",
        Scope::SignIn,
        "Next field (username, password)",
        &["tab", "backtab", "up", "down"],
    ),
    b(
        Command::Refresh,
        "sign_in.retry",
        Scope::SignIn,
        "Ask the server again, when it could not be reached (else types r)",
        &["r"],
    ),
    b(
        Command::Choose,
        "sign_in.submit",
        Scope::SignIn,
        "Sign in",
        &["enter"],
    ),
    b(
        Command::Quit,
        "sign_in.quit",
        Scope::SignIn,
        "Quit",
        &["esc"],
    ),
];

/// A key as written in the config: `q`, `G`, `ctrl-c`, `enter`, `pagedown`, `backtab`, `f1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeySpec {
    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let named = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => Some(KeyCode::Enter),
            "esc" | "escape" => Some(KeyCode::Esc),
            "tab" => Some(KeyCode::Tab),
            "backtab" | "shift-tab" => Some(KeyCode::BackTab),
            "space" => Some(KeyCode::Char(' ')),
            "up" => Some(KeyCode::Up),
            "down" => Some(KeyCode::Down),
            "left" => Some(KeyCode::Left),
            "right" => Some(KeyCode::Right),
            "pageup" | "pgup" => Some(KeyCode::PageUp),
            "pagedown" | "pgdn" => Some(KeyCode::PageDown),
            "home" => Some(KeyCode::Home),
            "end" => Some(KeyCode::End),
            "backspace" => Some(KeyCode::Backspace),
            "delete" | "del" => Some(KeyCode::Delete),
            "insert" => Some(KeyCode::Insert),
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => f[1..]
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=24).contains(n))
                .map(KeyCode::F),
            _ => None,
        };
        let code = match named {
            Some(code) => code,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => {
                        KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                    }
                    _ => {
                        return Err(format!(
                            "`{text}` is not a key (try e.g. \"x\", \"ctrl-x\", \"f2\", \"pagedown\")"
                        ));
                    }
                }
            }
        };
        Ok(KeySpec { code, ctrl, alt })
    }

    pub fn from_event(key: &KeyEvent) -> KeySpec {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let code = match key.code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            // Terminals send Shift-Tab as BackTab, sometimes with SHIFT set as well.
            other => other,
        };
        KeySpec {
            code,
            ctrl,
            alt: key.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The keys in force: defaults with the config's replacements applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    keys: BTreeMap<(Scope, Command), Vec<KeySpec>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let keys = BINDINGS
            .iter()
            .map(|b| {
                (
                    (b.scope, b.command),
                    b.keys
                        .iter()
                        .map(|k| KeySpec::parse(k).expect("default key"))
                        .collect(),
                )
            })
            .collect();
        Keymap { keys }
    }
}

impl Keymap {
    /// Applies `[keys]` (action = "key" or "key1, key2"). Unknown names and keys are errors.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<Keymap, String> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            // Only pane and global commands can be rebound for now; a dialog's keys are fixed.
            let rebindable = || BINDINGS.iter().filter(|b| !b.scope.is_dialog());
            let binding = rebindable().find(|b| b.name == name).ok_or_else(|| {
                let names: Vec<&str> = rebindable().map(|b| b.name).collect();
                format!(
                    "[keys] has an unknown action `{name}`; actions are: {}",
                    names.join(", ")
                )
            })?;
            let specs = keys
                .split(',')
                .map(|k| KeySpec::parse(k).map_err(|e| format!("[keys] {name}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            map.keys.insert((binding.scope, binding.command), specs);
        }
        map.check_clashes()?;
        Ok(map)
    }

    /// Two commands that can be looked up together (both global, or both in the scopes of one
    /// pane) must not share a key: the help would list it twice and only one would ever run.
    /// A pane binding may reuse a global key on purpose (`g`: Top, on pane 2 Go to date).
    fn check_clashes(&self) -> Result<(), String> {
        let together = |a: Scope, b: Scope| {
            a == b || PANE_SCOPES.iter().any(|p| p.contains(&a) && p.contains(&b))
        };
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.command == b.command || !together(a.scope, b.scope) {
                    continue;
                }
                if let Some(key) = self
                    .keys_in(a.scope, a.command)
                    .iter()
                    .find(|k| self.keys_in(b.scope, b.command).contains(k))
                {
                    let scope = match a.scope {
                        Scope::Global => "everywhere".to_string(),
                        other => format!("in the {other:?} scope"),
                    };
                    return Err(format!(
                        "[keys]: key `{key}` is bound to both `{}` and `{}` ({scope}); give one \
                         of them another key",
                        a.name, b.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// The keys of a pane or global command.
    pub fn keys(&self, command: Command) -> &[KeySpec] {
        BINDINGS
            .iter()
            .find(|b| b.command == command && !b.scope.is_dialog())
            .map_or(&[], |b| self.keys_in(b.scope, command))
    }

    /// The keys of a command in one scope.
    pub fn keys_in(&self, scope: Scope, command: Command) -> &[KeySpec] {
        self.keys
            .get(&(scope, command))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// "j/↓": the keys of a pane or global command for hints and help.
    pub fn describe(&self, command: Command) -> String {
        describe_keys(self.keys(command))
    }

    /// "j/↓": the keys of a command in one scope.
    pub fn describe_in(&self, scope: Scope, command: Command) -> String {
        describe_keys(self.keys_in(scope, command))
    }

    /// The command for a key in an open dialog: its scope alone, the key's modifiers included.
    pub fn lookup_in(&self, key: &KeyEvent, scope: Scope) -> Option<Command> {
        let spec = KeySpec::from_event(key);
        BINDINGS
            .iter()
            .filter(|b| b.scope == scope)
            .find(|b| self.keys_in(b.scope, b.command).contains(&spec))
            .map(|b| b.command)
    }

    /// As [`Keymap::lookup_in`], Ctrl and Alt aside (the dialogs that always took Ctrl-j as j).
    pub fn lookup_in_any_modifier(&self, key: &KeyEvent, scope: Scope) -> Option<Command> {
        let code = KeySpec::from_event(key).code;
        BINDINGS
            .iter()
            .filter(|b| b.scope == scope)
            .find(|b| {
                self.keys_in(b.scope, b.command)
                    .iter()
                    .any(|k| k.code == code)
            })
            .map(|b| b.command)
    }

    /// Whether any scope binds exactly this key (modifiers included).
    pub fn binds_anywhere(&self, key: &KeyEvent) -> bool {
        let spec = KeySpec::from_event(key);
        BINDINGS
            .iter()
            .any(|b| self.keys_in(b.scope, b.command).contains(&spec))
    }

    /// The command for a key in a pane: pane-scoped bindings first, then global ones.
    pub fn lookup(&self, key: &KeyEvent, pane_scopes: &[Scope]) -> Option<Command> {
        let spec = KeySpec::from_event(key);
        let matches = |b: &&Binding| self.keys_in(b.scope, b.command).contains(&spec);
        BINDINGS
            .iter()
            .filter(|b| pane_scopes.contains(&b.scope))
            .find(matches)
            .or_else(|| {
                BINDINGS
                    .iter()
                    .filter(|b| b.scope == Scope::Global)
                    .find(matches)
            })
            .map(|b| b.command)
    }
}

fn describe_keys(keys: &[KeySpec]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn vim_keys_and_arrows_both_work() {
        let map = Keymap::default();
        let none = KeyModifiers::NONE;
        assert_eq!(
            map.lookup(&key(KeyCode::Char('j'), none), &[]),
            Some(Command::Down)
        );
        assert_eq!(
            map.lookup(&key(KeyCode::Down, none), &[]),
            Some(Command::Down)
        );
        assert_eq!(
            map.lookup(&key(KeyCode::Char('c'), KeyModifiers::CONTROL), &[]),
            Some(Command::Quit)
        );
        assert_eq!(
            map.lookup(&key(KeyCode::Char('G'), KeyModifiers::SHIFT), &[]),
            Some(Command::Bottom)
        );
    }

    #[test]
    fn pane_bindings_win_in_their_pane() {
        let map = Keymap::default();
        let g = key(KeyCode::Char('g'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&g, &[Scope::Week, Scope::Glance]),
            Some(Command::GoToDate)
        );
        assert_eq!(
            map.lookup(&g, &[Scope::Dashboard, Scope::Glance]),
            Some(Command::Top)
        );
        let l = key(KeyCode::Char('l'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&l, &[Scope::Profile]), None);
    }

    #[test]
    fn overrides_replace_keys_and_bad_ones_are_named() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), "x, ctrl-q".to_string());
        let map = Keymap::with_overrides(&o).unwrap();
        assert_eq!(
            map.lookup(&key(KeyCode::Char('x'), KeyModifiers::NONE), &[]),
            Some(Command::Quit)
        );
        assert_eq!(
            map.lookup(&key(KeyCode::Char('q'), KeyModifiers::NONE), &[]),
            None
        );
        assert_eq!(map.describe(Command::Quit), "x/Ctrl-q");
        o.insert("fly".to_string(), "f".to_string());
        assert!(
            Keymap::with_overrides(&o)
                .unwrap_err()
                .contains("unknown action `fly`")
        );
        let mut bad = BTreeMap::new();
        bad.insert("quit".to_string(), "ctrl-".to_string());
        assert!(Keymap::with_overrides(&bad).is_err());
    }

    #[test]
    fn dialog_scopes_are_looked_up_alone_and_checked_for_clashes() {
        let map = Keymap::default();
        let none = KeyModifiers::NONE;
        // `q` quits everywhere, but closes the event detail and is nothing in the calendar.
        let q = key(KeyCode::Char('q'), none);
        assert_eq!(map.lookup_in(&q, Scope::EventDetail), Some(Command::Close));
        assert_eq!(map.lookup_in(&q, Scope::Calendar), None);
        assert_eq!(
            map.lookup_in(&key(KeyCode::Char(' '), none), Scope::Confirm),
            Some(Command::Choose)
        );
        // Two commands of one dialog on one key: the check names both.
        let mut clash = Keymap::default();
        clash.keys.insert(
            (Scope::Confirm, Command::Yes),
            vec![KeySpec::parse("h").unwrap()],
        );
        let err = clash.check_clashes().unwrap_err();
        assert!(
            err.contains("confirm.yes") && err.contains("confirm.focus_yes"),
            "{err}"
        );
    }

    #[test]
    fn every_default_key_parses() {
        for b in BINDINGS {
            for k in b.keys {
                KeySpec::parse(k).unwrap();
            }
        }
    }

    #[test]
    fn clashing_bindings_are_a_config_error_naming_both() {
        assert!(Keymap::with_overrides(&BTreeMap::new()).is_ok());
        for (action, key, other) in [
            ("quit", "j", "down"),
            ("quit", "1", "dashboard"),
            ("this_week", "h", "prev_week"),
            ("expand", "enter", "open"),
        ] {
            let overrides = BTreeMap::from([(action.to_string(), key.to_string())]);
            let err = Keymap::with_overrides(&overrides).unwrap_err();
            assert!(
                err.to_lowercase().contains(&format!("`{key}`"))
                    && err.contains(action)
                    && err.contains(other),
                "{err}"
            );
        }
        // A dialog's keys cannot be changed under [keys] (yet).
        let dialog = BTreeMap::from([("confirm.yes".to_string(), "x".to_string())]);
        assert!(
            Keymap::with_overrides(&dialog)
                .unwrap_err()
                .contains("unknown action `confirm.yes`")
        );
        // A pane key may reuse a global one, and moving a key away frees it.
        let ok = BTreeMap::from([
            ("quit".to_string(), "x".to_string()),
            ("next_school".to_string(), "q".to_string()),
        ]);
        assert!(Keymap::with_overrides(&ok).is_ok());
    }
}
