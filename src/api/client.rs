//! placeholder until the client lands
pub struct Client;
pub struct ClientOptions;
