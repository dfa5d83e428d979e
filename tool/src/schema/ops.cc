#include "schema/ops.h"

#include <algorithm>

#include "core/text.h"
#include "sql/tokens.h"

namespace retort {

namespace {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

std::string column_summary(const Column& c) {
  std::string s = c.type.empty() ? std::string("(no type)") : c.type;
  if (!c.collation.empty()) s += " COLLATE " + c.collation;
  if (c.generated) s += " GENERATED";
  if (c.not_null) s += " NOT NULL";
  if (c.default_sql) s += " DEFAULT " + *c.default_sql;
  if (!c.on_update.empty()) s += " ON UPDATE " + c.on_update;
  return s;
}

std::string label_list(const std::vector<std::string>& labels) {
  std::vector<std::string> q;
  for (const auto& l : labels)
    q.push_back(quote_sql_string(l));
  return join(q, ", ");
}

const char* const kRenameTag = "NOTE: a rename? ";

}  // namespace

Op reverse(const Op& op) {
  Change c =
      std::visit(overloaded{
                     [](const CreateTable& x) -> Change {
                       return DropTable{x.table, x.indexes};
                     },
                     [](const DropTable& x) -> Change {
                       return CreateTable{x.table, x.indexes};
                     },
                     [](const AddColumn& x) -> Change {
                       return DropColumn{x.table, x.column, x.after};
                     },
                     [](const DropColumn& x) -> Change {
                       return AddColumn{x.table, x.column, x.after};
                     },
                     [](const AlterColumn& x) -> Change {
                       return AlterColumn{x.table, x.to, x.from, x.enum_cast, x.after};
                     },
                     [](const AddConstraint& x) -> Change {
                       return DropConstraint{x.table, x.constraint};
                     },
                     [](const DropConstraint& x) -> Change {
                       return AddConstraint{x.table, x.constraint};
                     },
                     [](const CreateIndex& x) -> Change { return DropIndex{x.index}; },
                     [](const DropIndex& x) -> Change { return CreateIndex{x.index}; },
                     [](const CreateView& x) -> Change { return DropView{x.view}; },
                     [](const DropView& x) -> Change { return CreateView{x.view}; },
                     [](const CreateTrigger& x) -> Change { return DropTrigger{x.trigger}; },
                     [](const DropTrigger& x) -> Change { return CreateTrigger{x.trigger}; },
                     [](const RebuildTable& x) -> Change {
                       return RebuildTable{x.to, x.from, x.indexes, x.triggers, x.reasons};
                     },
                     [](const CreateEnum& x) -> Change { return DropEnum{x.type}; },
                     [](const DropEnum& x) -> Change { return CreateEnum{x.type}; },
                     [](const AlterEnum& x) -> Change {
                       AlterEnum r{x.to, x.from, x.uses, x.recreate};
                       for (auto& u : r.uses)
                         std::swap(u.default_before, u.default_after);
                       return r;
                     },
                     [](const SetTableComment& x) -> Change {
                       return SetTableComment{x.table, x.to, x.from};
                     },
                     [](const SetTableOptions& x) -> Change {
                       return SetTableOptions{x.table, x.to, x.from};
                     },
                     [](const CreateSequence& x) -> Change { return DropSequence{x.sequence}; },
                     [](const DropSequence& x) -> Change { return CreateSequence{x.sequence}; },
                     [](const AlterSequence& x) -> Change {
                       return AlterSequence{x.to, x.from};
                     },
                     [](const CreateExtension& x) -> Change { return DropExtension{x.name}; },
                     [](const DropExtension& x) -> Change { return CreateExtension{x.name}; },
                 },
                 op.change);
  return Op{std::move(c), {}};
}

std::vector<Op> reverse(const std::vector<Op>& ops) {
  std::vector<Op> out;
  out.reserve(ops.size());
  for (auto it = ops.rbegin(); it != ops.rend(); ++it)
    out.push_back(reverse(*it));
  annotate_renames(out);
  return out;
}

bool only_adds_labels(const EnumType& from, const EnumType& to) {
  size_t i = 0;
  for (const auto& l : to.labels)
    if (i < from.labels.size() && l == from.labels[i]) ++i;
  return i == from.labels.size();
}

std::string describe(const Op& op) {
  return std::visit(
      overloaded{
          [](const CreateTable& x) { return "add table " + x.table.name; },
          [](const DropTable& x) { return "drop table " + x.table.name; },
          [](const AddColumn& x) {
            return "add column " + x.table + "." + x.column.name + " " + column_summary(x.column);
          },
          [](const DropColumn& x) { return "drop column " + x.table + "." + x.column.name; },
          [](const AlterColumn& x) {
            std::vector<std::string> what;
            if (x.from.type != x.to.type)
              what.push_back("type " + x.from.type + " -> " + x.to.type);
            if (x.from.not_null != x.to.not_null)
              what.push_back(x.to.not_null ? "NULL -> NOT NULL" : "NOT NULL -> NULL");
            if (x.from.default_sql != x.to.default_sql)
              what.push_back("default " + x.from.default_sql.value_or("none") + " -> " +
                             x.to.default_sql.value_or("none"));
            if (x.from.collation != x.to.collation)
              what.push_back("collation " +
                             (x.from.collation.empty() ? "default" : x.from.collation) + " -> " +
                             (x.to.collation.empty() ? "default" : x.to.collation));
            if (x.from.on_conflict != x.to.on_conflict)
              what.push_back("NOT NULL ON CONFLICT " +
                             (x.from.on_conflict.empty() ? "ABORT" : x.from.on_conflict) + " -> " +
                             (x.to.on_conflict.empty() ? "ABORT" : x.to.on_conflict));
            if (x.from.generated != x.to.generated) what.push_back("generated");
            if (x.from.comment != x.to.comment) what.push_back("comment");
            if (x.from.on_update != x.to.on_update)
              what.push_back("ON UPDATE " + (x.from.on_update.empty() ? "none" : x.from.on_update) +
                             " -> " + (x.to.on_update.empty() ? "none" : x.to.on_update));
            if (what.empty()) what.push_back("definition");
            return "change column " + x.table + "." + x.from.name + ": " + join(what, ", ");
          },
          [](const AddConstraint& x) {
            return "add constraint on " + x.table + ": " + describe(x.constraint);
          },
          [](const DropConstraint& x) {
            return "drop constraint on " + x.table + ": " + describe(x.constraint);
          },
          [](const CreateIndex& x) {
            return "add " + std::string(x.index.unique ? "unique " : "") + "index " + x.index.name +
                   " on " + x.index.table + " (" + join(x.index.elements, ", ") + ")" +
                   (x.index.options.empty() ? "" : " " + x.index.options) +
                   (x.index.where.empty() ? "" : " WHERE " + x.index.where);
          },
          [](const DropIndex& x) { return "drop index " + x.index.name + " on " + x.index.table; },
          [](const CreateView& x) { return "add view " + x.view.name; },
          [](const DropView& x) { return "drop view " + x.view.name; },
          [](const CreateTrigger& x) { return "add trigger " + x.trigger.name; },
          [](const DropTrigger& x) { return "drop trigger " + x.trigger.name; },
          [](const RebuildTable& x) {
            return "rebuild table " + x.to.name + " (" + join(x.reasons, "; ") + ")";
          },
          [](const CreateEnum& x) {
            return "add enum " + x.type.name + " (" + label_list(x.type.labels) + ")";
          },
          [](const DropEnum& x) { return "drop enum " + x.type.name; },
          [](const AlterEnum& x) {
            return "change enum " + x.from.name + ": (" + label_list(x.from.labels) + ") -> (" +
                   label_list(x.to.labels) + ")";
          },
          [](const SetTableComment& x) {
            return std::string(x.to.empty()     ? "drop"
                               : x.from.empty() ? "add"
                                                : "change") +
                   " comment on table " + x.table;
          },
          [](const SetTableOptions& x) {
            std::vector<std::string> what;
            for (const auto& [k, v] : x.to) {
              auto it = x.from.find(k);
              if (it == x.from.end() || it->second != v)
                what.push_back(k + " " + (it == x.from.end() ? "default" : it->second) + " -> " +
                               v);
            }
            for (const auto& [k, v] : x.from)
              if (!x.to.count(k)) what.push_back(k + " " + v + " -> default");
            return "change table " + x.table + ": " + join(what, ", ");
          },
          [](const CreateExtension& x) { return "add extension " + x.name; },
          [](const DropExtension& x) { return "drop extension " + x.name; },
          [](const CreateSequence& x) { return "add sequence " + x.sequence.name; },
          [](const DropSequence& x) { return "drop sequence " + x.sequence.name; },
          [](const AlterSequence& x) {
            const Sequence &a = x.from, &b = x.to;
            std::vector<std::string> what;
            auto change = [&](const char* name, const std::string& f, const std::string& t) {
              if (f != t) what.push_back(std::string(name) + " " + f + " -> " + t);
            };
            change("type", a.type, b.type);
            change("start", a.start, b.start);
            change("increment", a.increment, b.increment);
            change("minvalue", a.min, b.min);
            change("maxvalue", a.max, b.max);
            change("cache", a.cache, b.cache);
            if (a.cycle != b.cycle) what.push_back(b.cycle ? "cycle" : "no cycle");
            auto owner = [](const Sequence& q) {
              return q.owner_table.empty() ? std::string("none")
                                           : q.owner_table + "." + q.owner_column;
            };
            change("owned by", owner(a), owner(b));
            return "change sequence " + b.name + ": " + join(what, ", ");
          },
      },
      op.change);
}

void annotate_renames(std::vector<Op>& ops, const QuoteName& quote_name) {
  auto q = [&](std::string_view name) { return quote_name ? quote_name(name) : quote_ident(name); };
  for (auto& op : ops)
    op.notes.erase(std::remove_if(op.notes.begin(), op.notes.end(),
                                  [](const std::string& n) { return n.rfind(kRenameTag, 0) == 0; }),
                   op.notes.end());
  std::vector<std::string> added_tables;
  std::vector<std::pair<std::string, std::string>> added_columns;
  for (const auto& op : ops) {
    if (auto* c = std::get_if<CreateTable>(&op.change)) added_tables.push_back(c->table.name);
    if (auto* c = std::get_if<AddColumn>(&op.change))
      added_columns.emplace_back(c->table, c->column.name);
  }
  for (auto& op : ops) {
    if (auto* d = std::get_if<DropTable>(&op.change)) {
      if (added_tables.empty()) continue;
      std::string note = std::string(kRenameTag) + "table " + d->table.name +
                         " is dropped and table" + (added_tables.size() > 1 ? "s " : " ") +
                         join(added_tables, ", ") + (added_tables.size() > 1 ? " are" : " is") +
                         " added. retort does not guess renames: if one is a rename, replace the "
                         "drop and the add with  ALTER TABLE " +
                         q(d->table.name) + " RENAME TO " + q(added_tables.front()) +
                         ";  to keep the rows";
      op.notes.push_back(note);
    } else if (auto* r = std::get_if<RebuildTable>(&op.change)) {
      std::vector<std::string> gone, come;
      for (const auto& c : r->from.columns)
        if (!r->to.column(c.name)) gone.push_back(c.name);
      for (const auto& c : r->to.columns)
        if (!r->from.column(c.name)) come.push_back(c.name);
      if (gone.empty() || come.empty()) continue;
      op.notes.push_back(std::string(kRenameTag) + r->to.name + " loses column" +
                         (gone.size() > 1 ? "s " : " ") + join(gone, ", ") + " and gains " +
                         join(come, ", ") + ". retort does not guess renames: if " + come.front() +
                         " is " + gone.front() + " renamed, keep its values by adding " +
                         q(come.front()) + " to the INSERT column list below and " +
                         q(gone.front()) + " to its SELECT list");
    } else if (auto* dc = std::get_if<DropColumn>(&op.change)) {
      std::vector<std::string> same;
      for (const auto& [t, c] : added_columns)
        if (same_name(t, dc->table)) same.push_back(c);
      if (same.empty()) continue;
      op.notes.push_back(std::string(kRenameTag) + "column " + dc->table + "." + dc->column.name +
                         " is dropped and " + join(same, ", ") +
                         " added. retort does not guess renames: if it is a rename, replace "
                         "both with  ALTER TABLE " +
                         q(dc->table) + " RENAME COLUMN " + q(dc->column.name) + " TO " +
                         q(same.front()) + ";  to keep the values");
    }
  }
}

}  // namespace retort
