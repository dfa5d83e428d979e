-- revision: e1a0c0ffee01
-- down_revision:
-- created: 2026-12-01 00:00:00+00:00
-- message: accounts

-- migrate:upgrade
CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

-- migrate:downgrade
DROP TABLE accounts;
