-- revision: 3c1d5e7a9b20
-- down_revision:
-- created: 2026-12-01 09:00:00+00:00
-- message: create notes

-- migrate:upgrade
CREATE TABLE notes (
    id      INTEGER PRIMARY KEY,
    title   TEXT NOT NULL,
    body    TEXT NOT NULL DEFAULT ''
);

-- migrate:downgrade
DROP TABLE notes;
