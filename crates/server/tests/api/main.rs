//! Black-box tests of the server through real HTTP on a real database: SQLite by default,
//! PostgreSQL when `PORTAL_TEST_POSTGRES` names a server (xtask starts a throwaway cluster).

mod articles;
mod calendar;
mod certificates;
mod cli;
mod durability;
mod exposure;
mod hardening;
mod health;
mod helpers;
mod import;
mod lookup;
mod parties;
mod partner;
mod rewards;
mod staff;
mod static_files;
mod statistics;
mod tips;
mod uploads;
mod wechat;
