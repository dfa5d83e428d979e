// Changes as operation objects. The diff produces them, a dialect lowers the
// ones its database cannot run as they are (SQLite: into RebuildTable), and
// rendering to SQL is a separate step. The downgrade is reverse(upgrade).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "schema/schema_model.h"

namespace retort {

// `indexes`: the table's indexes where the dialect writes them inside its
// CREATE TABLE (MariaDB's KEY lines; lower() moves them there); a DROP
// TABLE takes them with it.
struct CreateTable {
  Table table;
  std::vector<Index> indexes = {};
};
struct DropTable {
  Table table;
  std::vector<Index> indexes = {};
};
// `after`: where a database that places columns puts it when added, the
// column before it ("" for the first); nullopt: at the end, or not known.
struct AddColumn {
  std::string table;
  Column column;
  std::optional<std::string> after = std::nullopt;
};
struct DropColumn {
  std::string table;
  Column column;
  std::optional<std::string> after = std::nullopt;
};
struct AlterColumn {
  std::string table;
  Column from, to;
  // One side is an enum: the values convert through text (an enum has no
  // cast to another type but text's).
  bool enum_cast = false;
  // Where a database that can only drop and add the column again (MariaDB:
  // into or out of a generated one) puts it back, as AddColumn::after.
  std::optional<std::string> after = std::nullopt;
};
struct AddConstraint {
  std::string table;
  Constraint constraint;
};
struct DropConstraint {
  std::string table;
  Constraint constraint;
};
struct CreateIndex {
  Index index;
};
struct DropIndex {
  Index index;
};
struct CreateView {
  View view;
};
struct DropView {
  View view;
};
struct CreateTrigger {
  Trigger trigger;
};
struct DropTrigger {
  Trigger trigger;
};
struct CreateEnum {
  EnumType type;
};
struct DropEnum {
  EnumType type;
};
// A column of the enum a relabeling converts, as it is when the op runs.
// The op also changes its default: a default naming a label can only be set
// while the type has that label, in either direction.
struct EnumUse {
  std::string table, column;
  int array_dims = 0;  // mood[]: 1
  std::optional<std::string> default_before, default_after;
};
// New labels only, each in its place: ALTER TYPE ... ADD VALUE. Anything
// else (a label removed, labels reordered), or `recreate`: the type is
// created again and `uses` are converted to it, as PostgreSQL cannot drop a
// label. It runs before the tables change, so in both directions the uses
// are the columns of the schema diffed from.
struct AlterEnum {
  EnumType from, to;
  std::vector<EnumUse> uses;
  bool recreate = false;  // a default names a label only one side has
};
// PostgreSQL's COMMENT ON TABLE (a column's is part of AlterColumn).
struct SetTableComment {
  std::string table;
  std::string from, to;  // empty: no comment
};
// Table options (Table::options) that an ALTER TABLE sets: MariaDB's
// ENGINE, DEFAULT CHARSET and COLLATE.
struct SetTableOptions {
  std::string table;
  std::map<std::string, std::string> from, to;
};
// A sequence is created without its owner and dropped once it has none:
// OWNED BY is an AlterSequence of its own, set after the owner's column
// exists and released before it goes (a DROP TABLE takes what it owns).
struct CreateSequence {
  Sequence sequence;
};
struct DropSequence {
  Sequence sequence;
};
struct AlterSequence {
  Sequence from, to;
};
// PostgreSQL's CREATE EXTENSION, first of all: what follows may use it.
struct CreateExtension {
  std::string name;
};
struct DropExtension {
  std::string name;
};
// SQLite's copy-and-move: create `to` under a scratch name, copy the rows,
// drop `from`, rename, then recreate the indexes and triggers that both
// sides share (the rest have their own ops).
struct RebuildTable {
  Table from, to;
  std::vector<Index> indexes;
  std::vector<Trigger> triggers;
  std::vector<std::string> reasons;  // what ALTER TABLE could not do
};

using Change = std::variant<CreateTable, DropTable, AddColumn, DropColumn, AlterColumn,
                            AddConstraint, DropConstraint, CreateIndex, DropIndex, CreateView,
                            DropView, CreateTrigger, DropTrigger, RebuildTable, CreateEnum,
                            DropEnum, AlterEnum, SetTableComment, SetTableOptions, CreateSequence,
                            DropSequence, AlterSequence, CreateExtension, DropExtension>;

struct Op {
  Change change;
  std::vector<std::string> notes;  // comment lines for the reviewer, without "-- "
};

Op reverse(const Op& op);
// The downgrade of an upgrade: each op reversed, in reverse order.
std::vector<Op> reverse(const std::vector<Op>& ops);

// Whether `to` only adds labels to `from`, keeping their order.
bool only_adds_labels(const EnumType& from, const EnumType& to);

// One line for `retort check` and messages, e.g. "add column users.nickname".
std::string describe(const Op& op);

// Attaches "drop + add: was this a rename?" notes to drop ops that have a
// matching add (a table, or a column in the same table). Replaces old notes
// of that kind, so it can run on a reversed list too. `quote` writes a name
// in the RENAME the note suggests (default: quote_ident's "name").
using QuoteName = std::function<std::string(std::string_view)>;
void annotate_renames(std::vector<Op>& ops, const QuoteName& quote = {});

}  // namespace retort
