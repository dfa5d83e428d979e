-- revision: e1a0c0ffee02
-- down_revision: e1a0c0ffee01
-- created: 2026-12-02 00:00:00+00:00
-- message: text the generated literal must carry: "quotes", \backslashes, ??=, é

-- migrate:upgrade
INSERT INTO accounts (name) VALUES ('say "hi" \ ??= é');

-- migrate:downgrade transaction:false
DELETE FROM accounts;
