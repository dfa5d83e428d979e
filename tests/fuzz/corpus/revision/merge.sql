-- revision: m1
-- down_revision: a1, b1
-- branch_labels: x
-- depends_on: c1
-- message: merge

-- migrate:upgrade transaction:false

-- migrate:downgrade irreversible
