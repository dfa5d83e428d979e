-- revision: 8f2b4d6c0e13
-- down_revision: 3c1d5e7a9b20
-- created: 2026-12-02 09:00:00+00:00
-- message: add tags

-- migrate:upgrade
CREATE TABLE tags (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (note_id, tag)
);
CREATE INDEX tags_by_tag ON tags(tag);

-- migrate:downgrade
DROP TABLE tags;
