SELECT 1; SELECT 2;
-- c;
;;/* x; */ SELECT 3