//! One module per documented endpoint.

pub mod arklow;
pub mod auth0;
pub mod buddy;
pub mod stackone;
pub mod tines;
