-- The home domain: its table, and the view its read model (GET /v1/vhomes) queries.
-- Generated from the `domains` answer. Once applied anywhere this file must not change: add a
-- core migration (sql/NNNN_*.sql) to alter the table instead.

CREATE TABLE homes (
    home_id UUID NOT NULL PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    address1 TEXT NOT NULL,
    address2 TEXT NULL,
    zip_code TEXT NOT NULL,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    country TEXT NOT NULL,
    date_created TIMESTAMPTZ NOT NULL,
    date_updated TIMESTAMPTZ NOT NULL
);

CREATE INDEX homes_user_id_idx ON homes (user_id);

CREATE VIEW view_homes AS
SELECT
    t.home_id,
    t.user_id,
    t.type,
    t.address1,
    t.address2,
    t.zip_code,
    t.city,
    t.state,
    t.country,
    t.date_created,
    t.date_updated,
    u.name AS user_name
FROM homes AS t
JOIN users AS u ON u.user_id = t.user_id;
