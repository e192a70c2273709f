//! ilios-tui: a terminal client for Ilios.
//!
//! Rooms: `api` talks to an Ilios server, `demo` is an Ilios-compatible server for the demo and
//! tests, `domain` holds the pure derivations shared by the TUI and the headless commands, `app`
//! owns state and effects, `ui` draws, `cli` runs headless commands.

pub mod api;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod logging;
pub mod text;
pub mod tui;
pub mod ui;
