#!/usr/bin/env python3
"""Write a migration directory of N linear revisions for the benchmarks.

    bench/gen_revisions.py [--dialect sqlite|postgresql|mariadb] N DIR

DIR gets retort.ini (script_location = .) and versions/ with N revision
files, each creating a table with a few columns, an index, and inserting a
few rows. Revision ids are derived from the index, so a given N always
produces the same files (and the same SQL).

--dialect postgresql (default sqlite) gives the columns PostgreSQL's own
types (BIGINT, VARCHAR(100), NUMERIC(12,2), DATE) instead of SQLite's type
affinities; the statements are otherwise the same, and valid on both.
"""
import hashlib
import os
import sys


def rev_id(i: int) -> str:
    return hashlib.sha1(f"retort-bench-{i}".encode()).hexdigest()[:12]


COLUMNS = {
    "sqlite": ("INTEGER", "TEXT", "REAL", "TEXT"),
    "postgresql": ("BIGINT", "VARCHAR(100)", "NUMERIC(12,2)", "DATE"),
    "mariadb": ("BIGINT", "VARCHAR(100)", "DECIMAL(12,2)", "DATE"),
}


def revision(i: int, parent: str, dialect: str = "sqlite") -> str:
    t = f"t{i}"
    ty_id, ty_name, ty_amount, ty_created = COLUMNS[dialect]
    rows = ",\n    ".join(
        f"({k}, 'name {i}-{k}', {k * 1.5}, '2025-01-0{k}')" for k in range(1, 4))
    return (
        f"-- revision: {rev_id(i)}\n"
        f"-- down_revision: {parent}\n"
        f"-- created: 2025-01-01 00:00:00+00:00\n"
        f"-- message: create table {t}\n"
        "\n"
        "-- migrate:upgrade\n"
        f"CREATE TABLE {t} (\n"
        f"    id         {ty_id} PRIMARY KEY,\n"
        f"    name       {ty_name} NOT NULL,\n"
        f"    amount     {ty_amount} NOT NULL DEFAULT 0,\n"
        f"    created_at {ty_created} NOT NULL\n"
        ");\n"
        f"CREATE INDEX ix_{t}_name ON {t} (name);\n"
        f"INSERT INTO {t} (id, name, amount, created_at) VALUES\n    {rows};\n"
        "\n"
        "-- migrate:downgrade\n"
        # MariaDB names the table an index is dropped from.
        f"DROP INDEX ix_{t}_name{' ON ' + t if dialect == 'mariadb' else ''};\n"
        f"DROP TABLE {t};\n"
    )


def main() -> int:
    args = sys.argv[1:]
    dialect = "sqlite"
    if len(args) >= 2 and args[0] == "--dialect":
        dialect, args = args[1], args[2:]
    if len(args) != 2 or dialect not in COLUMNS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    n, out = int(args[0]), args[1]
    versions = os.path.join(out, "versions")
    os.makedirs(versions, exist_ok=True)
    with open(os.path.join(out, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = .\n")
    parent = ""
    for i in range(1, n + 1):
        name = f"20250101{i:06d}_create_table_t{i}.sql"
        with open(os.path.join(versions, name), "w") as f:
            f.write(revision(i, parent, dialect))
        parent = rev_id(i)
    return 0


if __name__ == "__main__":
    sys.exit(main())
