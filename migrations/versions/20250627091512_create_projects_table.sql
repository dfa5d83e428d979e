-- revision: 8c3e5d1a9f20
-- down_revision: 1f6a2c9e4b7d
-- created: 2025-06-27 09:15:12+00:00
-- message: create projects table

-- migrate:upgrade
CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (owner_id, name)
);
CREATE INDEX ix_projects_owner_id ON projects (owner_id);

-- migrate:downgrade
DROP INDEX ix_projects_owner_id;
DROP TABLE projects;
