//! Pure derivations shared by the TUI panes and the headless commands: no I/O, no terminal.

pub mod calendar;
pub mod calendar_filters;
pub mod collate;
pub mod ics;
pub mod materials;
pub mod names;
pub mod profile;
pub mod tokens;
pub mod week;

/// A piece of data that arrives from the network: each part of a screen loads on its own, so a
/// slow or failing request leaves the rest usable.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Loadable<T> {
    #[default]
    Loading,
    Ready(T),
    /// A sentence a person can read (already names the server and what went wrong).
    Failed(String),
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Loadable<U> {
        match self {
            Loadable::Loading => Loadable::Loading,
            Loadable::Ready(v) => Loadable::Ready(f(v)),
            Loadable::Failed(e) => Loadable::Failed(e),
        }
    }

    pub fn as_ref(&self) -> Loadable<&T> {
        match self {
            Loadable::Loading => Loadable::Loading,
            Loadable::Ready(v) => Loadable::Ready(v),
            Loadable::Failed(e) => Loadable::Failed(e.clone()),
        }
    }
}

impl<T, E: std::fmt::Display> From<Result<T, E>> for Loadable<T> {
    fn from(r: Result<T, E>) -> Self {
        match r {
            Ok(v) => Loadable::Ready(v),
            Err(e) => Loadable::Failed(e.to_string()),
        }
    }
}
