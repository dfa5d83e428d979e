// The schema model: what autogenerate compares. Both sides (the models loaded
// into a scratch database, and the target database) are introspected into
// this one shape, whichever database it is. It holds the properties any
// supported database has (SQLite's WITHOUT ROWID, PostgreSQL's enums and
// index methods); a database without one leaves it at its default.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace retort {

struct Column {
  std::string name;
  std::string type;  // as declared; compared by the dialect's meaning
  bool not_null = false;
  std::optional<std::string> default_sql;  // the expression, as the database reports it
  bool generated = false;
  // COLLATE, when not the type's default: SQLite's lower-cased ("nocase"),
  // PostgreSQL's as an identifier ("C", "en_US"). Empty for the default.
  std::string collation;
  // SQLite: NOT NULL's ON CONFLICT resolution ("REPLACE"...); empty for the
  // default, ABORT. REPLACE fills in the default instead of failing.
  std::string on_conflict;
  std::string comment;  // PostgreSQL's COMMENT ON COLUMN, MariaDB's COMMENT; empty for none
  // An expression the database stores in the column whenever its row is
  // updated (MariaDB's ON UPDATE current_timestamp()); empty for none.
  std::string on_update;
  // The column's own text in its CREATE TABLE, when the database keeps it
  // (SQLite); used for ALTER TABLE ADD COLUMN so nothing is lost in a re-render.
  std::string definition;
};

struct Constraint {
  enum class Kind { kPrimaryKey, kUnique, kForeignKey, kCheck };
  Kind kind = Kind::kUnique;
  std::string name;  // may be empty (SQLite does not always keep names)
  std::vector<std::string> columns;
  // Foreign keys.
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete = "NO ACTION";
  std::string on_update = "NO ACTION";
  // Checks: the expression as written, without the outer parentheses.
  // Keys: their options, as SQL after the key ("DEFERRABLE INITIALLY DEFERRED",
  // "MATCH FULL ...", SQLite's "ON CONFLICT REPLACE"); empty for the defaults.
  std::string expression;
  // PostgreSQL: a check or foreign key added NOT VALID, so rows already there
  // are not checked. Kept when it is added again; not a difference in itself.
  bool not_valid = false;
};

struct Table {
  std::string name;
  std::vector<Column> columns;  // in table order
  std::vector<Constraint> constraints;
  bool without_rowid = false;
  bool strict = false;  // SQLite STRICT: declared types are enforced
  bool autoincrement = false;
  // SQLite: the primary key is the rowid (declared exactly INTEGER PRIMARY
  // KEY), which INT PRIMARY KEY, of the same affinity, is not.
  bool rowid_alias = false;
  // A virtual table (SQLite FTS5, R*Tree...): compared and recreated as a
  // whole by its CREATE statement; its columns and shadow tables are its own.
  bool is_virtual = false;
  std::string sql;      // the CREATE TABLE the database keeps (SQLite), else empty
  std::string comment;  // PostgreSQL's COMMENT ON TABLE, MariaDB's COMMENT; empty for none
  // Table options as the database reports them, by their SQL name (MariaDB:
  // ENGINE, DEFAULT CHARSET, COLLATE); empty where the database has none.
  std::map<std::string, std::string> options;

  const Column* column(const std::string& name) const;
  const Constraint* primary_key() const;
};

struct Index {
  std::string name;
  std::string table;
  bool unique = false;
  std::vector<std::string> elements;  // column names or expressions, with COLLATE/DESC
  std::string where;                  // partial index predicate, empty if none
  std::string options;                // after the columns: INCLUDE (...), WITH (...)
  std::string sql;                    // CREATE INDEX as kept by the database, if it keeps it
  // Access method or kind (PostgreSQL's USING gin, MariaDB's fulltext); "" for the default.
  std::string method;
};

struct View {
  std::string name;
  std::string definition;  // the SELECT
  std::string sql;         // full CREATE VIEW when the database keeps it
  // The relations (tables, views) of its schema it reads, by name, when the
  // database's catalog says (PostgreSQL's pg_depend); `reads_known` false:
  // only the definition's text tells, which may name an alias or a column.
  std::vector<std::string> reads = {};
  bool reads_known = false;
};

// Whether view `v` reads relation `name`: from the catalog when it is known,
// else by the name appearing in its definition.
bool view_reads(const View& v, const std::string& name);

struct Trigger {
  std::string name;
  std::string table;
  std::string sql;  // full CREATE TRIGGER
};

// A PostgreSQL ENUM type; named like the tables, in the schema they are read from.
struct EnumType {
  std::string name;
  std::vector<std::string> labels;  // in their sort order
};

// A PostgreSQL sequence other than a serial's own (a serial column reads as
// its type, serial, and takes its sequence with it) and an identity's.
// Numbers as the catalog prints them.
struct Sequence {
  std::string name;
  std::string type = "bigint";  // AS ...
  std::string start = "1", increment = "1", min = "1", max = "9223372036854775807", cache = "1";
  bool cycle = false;
  // OWNED BY: dropped with that column or its table; empty for none.
  std::string owner_table, owner_column;

  bool same_options(const Sequence& o) const {
    return type == o.type && start == o.start && increment == o.increment && min == o.min &&
           max == o.max && cache == o.cache && cycle == o.cycle;
  }
};

// Keyed by lower-cased name (indexes: by whatever the backend makes unique,
// "table.name" where index names are per table), so output order is stable and lookups ignore case
// the way SQL does for unquoted names.
struct Schema {
  std::map<std::string, Table> tables;
  std::map<std::string, Index> indexes;
  std::map<std::string, View> views;
  std::map<std::string, Trigger> triggers;
  std::map<std::string, EnumType> enums;      // PostgreSQL only
  std::map<std::string, Sequence> sequences;  // PostgreSQL only
  // PostgreSQL extensions: the database's, or those the models create.
  std::set<std::string> extensions;

  const Table* table(const std::string& name) const;
  // The enum a column's type names (itself or as an array's element), if any.
  const EnumType* enum_of_type(const std::string& column_type) const;
  std::vector<const Index*> indexes_on(const std::string& table) const;
  std::vector<const Trigger*> triggers_on(const std::string& table) const;
};

std::string key_of(const std::string& name);  // lower-cased
bool same_name(const std::string& a, const std::string& b);
bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b);

// "FOREIGN KEY (a) REFERENCES t (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED"
std::string describe(const Constraint& c);

}  // namespace retort
