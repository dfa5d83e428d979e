// Changes as operation objects. The diff produces them, a dialect lowers the
// ones its database cannot run as they are (SQLite: into RebuildTable), and
// rendering to SQL is a separate step. The downgrade is reverse(upgrade).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "schema/schema_model.h"

namespace retort {

struct CreateTable {
  Table table;
};
struct DropTable {
  Table table;
};
struct AddColumn {
  std::string table;
  Column column;
};
struct DropColumn {
  std::string table;
  Column column;
};
struct AlterColumn {
  std::string table;
  Column from, to;
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
                            DropView, CreateTrigger, DropTrigger, RebuildTable>;

struct Op {
  Change change;
  std::vector<std::string> notes;  // comment lines for the reviewer, without "-- "
};

Op reverse(const Op& op);
// The downgrade of an upgrade: each op reversed, in reverse order.
std::vector<Op> reverse(const std::vector<Op>& ops);

// One line for `retort check` and messages, e.g. "add column users.nickname".
std::string describe(const Op& op);

// Attaches "drop + add: was this a rename?" notes to drop ops that have a
// matching add (a table, or a column in the same table). Replaces old notes
// of that kind, so it can run on a reversed list too.
void annotate_renames(std::vector<Op>& ops);

}  // namespace retort
