#!/usr/bin/env python3
"""Write a SQLite model set (declarative DDL) for the autogenerate benchmark.

    bench/gen_models.py [--tables T] [--columns C] [--change] DIR

DIR gets retort.ini (script_location = ., models = models/*.sql), the
default script.sql.tmpl, an empty versions/ and models/*.sql: T tables (default 300) of C columns each (default
10, so 3,000 columns), ten tables to a file, with a primary key, typed columns
with NOT NULL and defaults, a foreign key to an earlier table, a unique
constraint on some and an index on every table. --change writes the same
models with exactly one column changed (t150.c5: TEXT becomes INTEGER, a
type change SQLite's ALTER TABLE cannot make, so autogenerate has to
plan a table rebuild). The output is deterministic.
"""
import argparse
import os

# The default template (retort init writes the same).
TEMPLATE = """-- revision: ${revision}
-- down_revision: ${down_revision}
${optional_headers}-- created: ${created}
-- message: ${message}

-- migrate:upgrade
${upgrade}

-- migrate:downgrade
${downgrade}
"""

TYPES = ["TEXT NOT NULL", "INTEGER NOT NULL DEFAULT 0", "REAL", "TEXT",
         "NUMERIC NOT NULL DEFAULT 0", "BLOB", "TEXT NOT NULL DEFAULT ''",
         "INTEGER"]


def table(i: int, columns: int, change: bool) -> str:
    cols = ["    id INTEGER PRIMARY KEY"]
    for c in range(1, columns):
        if c == 1 and i > 1:
            cols.append(f"    parent_id INTEGER REFERENCES t{i - 1} (id) ON DELETE CASCADE")
            continue
        typ = TYPES[(i + c) % len(TYPES)]
        if change and i == 150 and c == 5:
            typ = typ.replace("TEXT", "INTEGER", 1) if typ.startswith("TEXT") else "TEXT"
        cols.append(f"    c{c} {typ}")
    if i % 3 == 0:
        cols.append("    UNIQUE (c2, c3)")
    body = ",\n".join(cols)
    return (f"CREATE TABLE t{i} (\n{body}\n);\n"
            f"CREATE INDEX ix_t{i}_c2 ON t{i} (c2);\n\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tables", type=int, default=300)
    ap.add_argument("--columns", type=int, default=10)
    ap.add_argument("--change", action="store_true")
    ap.add_argument("dir")
    a = ap.parse_args()
    models = os.path.join(a.dir, "models")
    os.makedirs(models, exist_ok=True)
    os.makedirs(os.path.join(a.dir, "versions"), exist_ok=True)
    with open(os.path.join(a.dir, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = .\nmodels = models/*.sql\n")
    with open(os.path.join(a.dir, "script.sql.tmpl"), "w") as f:
        f.write(TEMPLATE)
    for start in range(1, a.tables + 1, 10):
        with open(os.path.join(models, f"m{start:04d}.sql"), "w") as f:
            for i in range(start, min(start + 10, a.tables + 1)):
                f.write(table(i, a.columns, a.change))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
