//! The portal's server: HTTP API, static front end and the command line of DESIGN §7.1.
//!
//! One folder per feature, each owning its routes and its tables: [`notices`] (import, lookup,
//! verify), [`partners`] (keys, checks, embed, change feed), [`rewards`] (reward notices),
//! [`tips`] (asset tips and receipts), [`uploads`] (tus evidence uploads, the upload store and
//! the encrypted evidence tips claim), [`calendar`] (holidays and legal deadlines) and [`staff`]
//! (accounts, sessions, audit).
//! [`http`] assembles them and holds what they share; [`db`] opens the database; [`cli`] is the
//! command line.

pub mod articles;
pub mod calendar;
pub mod certificates;
pub mod checks;
pub mod cli;
pub mod db;
pub mod error;
pub mod exposure;
pub mod extract;
pub mod floor;
pub mod frontend;
pub mod guesses;
pub mod hashing;
pub mod heavy;
pub mod home;
pub mod http;
pub mod jobs;
pub mod keys;
pub mod metrics;
pub mod notices;
pub mod parties;
pub mod partners;
pub mod pins;
pub mod ratelimit;
pub mod rewards;
pub mod seed;
pub mod staff;
pub mod state;
pub mod statistics;
pub mod storage;
pub mod tips;
pub mod uploads;
pub mod wechat;
