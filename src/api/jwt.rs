//! placeholder
pub struct Claims;
