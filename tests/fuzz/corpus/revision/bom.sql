-- revision: b0m
-- down_revision:
-- migrate:upgrade
SELECT ';'; -- ;
/* ; */
-- migrate:downgrade
