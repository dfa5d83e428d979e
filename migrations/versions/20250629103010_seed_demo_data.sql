-- revision: e2a8f3c1d904
-- down_revision: b47d90e2c615
-- created: 2025-06-29 10:30:10+00:00
-- message: seed demo data

-- migrate:upgrade
INSERT INTO users (id, email, full_name) VALUES
    (1, 'ada@example.com', 'Ada Lovelace'),
    (2, 'grace@example.com', 'Grace Hopper');

INSERT INTO projects (id, owner_id, name, description) VALUES
    (1, 1, 'analytical-engine', 'Notes on the Analytical Engine'),
    (2, 2, 'compiler', 'The A-0 System');

INSERT INTO tasks (id, project_id, assignee_id, title, status, due_date) VALUES
    (1, 1, 1, 'Write note G', 'done', '1843-09-01'),
    (2, 1, NULL, 'Build the mill', 'todo', NULL),
    (3, 2, 2, 'Link subroutines', 'doing', '1952-05-01');

-- migrate:downgrade
DELETE FROM tasks WHERE id IN (1, 2, 3);
DELETE FROM projects WHERE id IN (1, 2);
DELETE FROM users WHERE id IN (1, 2);
