CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    assignee_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title        TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'todo'
                 CHECK (status IN ('todo', 'doing', 'done')),
    due_date     DATE,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_tasks_project_id_status ON tasks (project_id, status);
CREATE INDEX ix_tasks_assignee_id ON tasks (assignee_id);
