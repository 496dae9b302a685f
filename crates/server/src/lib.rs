//! The portal's server: HTTP API, static front end and the command line of DESIGN §7.1.

pub mod checks;
pub mod cli;
pub mod db;
pub mod error;
pub mod http;
pub mod import;
pub mod lookup;
pub mod notices;
pub mod partners;
pub mod ratelimit;
pub mod seed;
pub mod staff;
