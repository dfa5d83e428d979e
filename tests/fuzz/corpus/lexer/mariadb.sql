CREATE PROCEDURE p() BEGIN DECLARE i INT DEFAULT 0; lbl: LOOP IF i > 3 THEN LEAVE lbl; END IF; SET i = i + 1; END LOOP lbl; END; # hash
SELECT 'it\'s' -- x
, "a\"b";--y