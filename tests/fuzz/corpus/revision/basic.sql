-- revision: cf1283d7fa92
-- down_revision: 3b2a1f0e9c4d
-- created: 2025-06-26 23:55:01+00:00
-- message: add users table

-- migrate:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);

-- migrate:downgrade
DROP TABLE users;
