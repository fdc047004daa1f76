-- The reference users table: one row per person who can sign in.
CREATE TABLE users (
    user_id       UUID        PRIMARY KEY,
    name          TEXT        NOT NULL,
    email         TEXT        UNIQUE NOT NULL,
    roles         TEXT[]      NOT NULL,
    password_hash TEXT        NOT NULL,
    department    TEXT        NULL,
    enabled       BOOLEAN     NOT NULL,
    date_created  TIMESTAMPTZ NOT NULL,
    date_updated  TIMESTAMPTZ NOT NULL
);
