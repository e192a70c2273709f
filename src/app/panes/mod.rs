//! The panes: each room owns its view state, its commands and its drawing.

pub mod calendar;
pub mod glance;
pub mod materials;
pub mod profile;

use crate::app::keymap::{PANE_SCOPES, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Dashboard,
    Week,
    Profile,
    Materials,
    Calendar,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Dashboard,
        Pane::Week,
        Pane::Profile,
        Pane::Materials,
        Pane::Calendar,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Dashboard => "Dashboard",
            Pane::Week => "Week at a Glance",
            Pane::Profile => "My Profile",
            Pane::Materials => "Materials",
            Pane::Calendar => "Calendar",
        }
    }

    pub fn scopes(self) -> &'static [Scope] {
        match self {
            Pane::Dashboard => PANE_SCOPES[0],
            Pane::Week => PANE_SCOPES[1],
            Pane::Profile => PANE_SCOPES[2],
            Pane::Materials => PANE_SCOPES[3],
            Pane::Calendar => PANE_SCOPES[4],
        }
    }

    pub fn cycle(self, forward: bool) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        let n = Pane::ALL.len();
        Pane::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}
