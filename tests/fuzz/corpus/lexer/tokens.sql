SELECT "a""b", [c d], `e`, 'it''s', 1.5e-3, x'ff' -- c
/* d */ <> || ->> ;