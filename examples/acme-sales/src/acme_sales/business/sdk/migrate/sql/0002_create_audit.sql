-- Who changed what and when: one row per change to a business object (auditbus).
-- No foreign keys: the trail must outlive the users and objects it mentions.
CREATE TABLE audit (
    id          UUID        PRIMARY KEY,
    obj_id      UUID        NOT NULL,
    obj_domain  TEXT        NOT NULL,
    obj_name    TEXT        NOT NULL,
    actor_id    UUID        NULL,      -- NULL: a system action (admin tool, migration, ...)
    action      TEXT        NOT NULL,
    data        JSONB       NULL,      -- the change; never a password or a hash
    message     TEXT        NOT NULL,
    timestamp   TIMESTAMPTZ NOT NULL
);

-- One object's history, in order: the default listing and the obj_id filter.
CREATE INDEX audit_obj_id_timestamp ON audit (obj_id, timestamp);
CREATE INDEX audit_timestamp ON audit (timestamp);
