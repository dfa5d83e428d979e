-- revision: r1
-- down_revision: 
-- message: crlf

-- migrate:upgrade
CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;
-- migrate:downgrade
DROP TRIGGER t;
