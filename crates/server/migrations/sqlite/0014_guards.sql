-- State that decides security and must hold across instances (DESIGN §6, several instances).

-- The guess budget per masked ID (guesses.rs): which different full IDs were checked against one
-- name and masked form, as keyed hashes (HMAC with the server's pepper) — never the IDs.
CREATE TABLE id_guesses (
    scope TEXT NOT NULL,
    guess TEXT NOT NULL,
    first_at BIGINT NOT NULL,
    PRIMARY KEY (scope, guess)
);
CREATE INDEX id_guesses_age ON id_guesses (first_at);

-- Failed staff sign-ins per account and per client (staff/throttle.rs): `key` is
-- `account:USERNAME` or `client:HMAC-OF-ADDRESS`.
CREATE TABLE signin_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
);

-- Sessions end after 30 idle minutes as well as after their absolute lifetime.
ALTER TABLE staff_sessions ADD COLUMN last_seen BIGINT NOT NULL DEFAULT 0;

-- Who verified a certificate is logged at most once an hour per client (a keyed hash of the
-- client's address, never the address).
ALTER TABLE certificate_verifications ADD COLUMN client_key TEXT;
CREATE INDEX certificate_verifications_client ON certificate_verifications (serial, client_key, at);

-- The rate limiter's counts per client network (ratelimit.rs; PostgreSQL only: on SQLite, one
-- instance, they are kept in memory), the proof-of-work solutions already used, and secrets
-- every instance shares (the challenge secret when none is configured).
CREATE TABLE rate_limits (
    client TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    count INTEGER NOT NULL,
    credits INTEGER NOT NULL,
    allowed INTEGER NOT NULL
);
CREATE TABLE pow_used (
    seed TEXT PRIMARY KEY,
    expires BIGINT NOT NULL
);
CREATE TABLE shared_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- An Idempotency-Key is bound to the request it first came with: a keyed hash of that body.
ALTER TABLE tip_submissions ADD COLUMN request_hash TEXT;
ALTER TABLE tip_additions ADD COLUMN request_hash TEXT;

-- Scheduled work that must run once per tick whatever the number of instances (jobs.rs): the
-- instance that inserts a job's row for a tick runs it; the others find it taken. `job_state`
-- keeps what a job has done so far (the announce job's last court date).
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    tick BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (job, tick)
);
CREATE TABLE job_state (
    job TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Which data key each running instance seals with, reported every scheduled tick: `keys reseal
-- --drop-old` refuses while an instance seen lately still seals with a key it would drop.
CREATE TABLE instance_keys (
    instance TEXT PRIMARY KEY,
    data_key_id TEXT NOT NULL,
    seen_at BIGINT NOT NULL
);
