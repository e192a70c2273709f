//! The Ilios API client: HTTP, wire models, JWT claim decoding and errors. No UI here.

pub mod calendar;
pub mod client;
pub mod error;
pub mod jwt;
pub mod materials;
pub mod models;
pub mod profile;
pub mod secret;

pub use client::{Client, ClientOptions};
pub use error::ApiError;
pub use jwt::Claims;
pub use secret::Token;
