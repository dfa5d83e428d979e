SELECT 1;
\i x.sql
.read y
COPY t FROM STDIN;
SELECT $f$ x $g$;