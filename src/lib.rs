//! ilios-tui: a terminal client for Ilios.
//!
//! Rooms: `api` talks to an Ilios server, `demo` is an Ilios-compatible server for the demo and
//! tests, `domain` holds the pure derivations shared by the TUI and the headless commands, `app`
//! owns state and effects, `ui` draws, `cli` runs headless commands.
//!
//! Two rooms are crates of the workspace, re-exported here so their paths stay the same: `clock`
//! (`crates/ilios-clock`, the one injectable clock, shared with the demo server) and `demo`
//! (`crates/ilios-demo`, only with the default feature `demo`: `cargo build
//! --no-default-features` gives a client without a server in it).

pub mod api;
pub mod app;
pub mod cache;
pub mod cli;
pub mod clipboard;
pub use ilios_clock as clock;
pub mod config;
#[cfg(feature = "demo")]
pub use ilios_demo as demo;
pub mod domain;
pub mod logging;
pub mod terminal;
pub mod text;
pub mod tui;
pub mod ui;
