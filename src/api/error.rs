//! placeholder
pub struct ApiError;
