-- revision: 1f6a2c9e4b7d
-- down_revision:
-- created: 2025-06-26 23:55:01+00:00
-- message: create users table

-- migrate:upgrade
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    full_name   TEXT NOT NULL,
    is_active   BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:downgrade
DROP TABLE users;
