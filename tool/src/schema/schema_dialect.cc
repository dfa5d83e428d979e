#include "schema/schema_dialect.h"

#include "core/error.h"
#include "sql/tokens.h"

namespace retort {

std::string SchemaDialect::normalize_default(const std::string& expr) const {
  return normalize_sql(expr);
}

std::string SchemaDialect::render(const std::vector<Op>& ops) const {
  std::string sql;
  for (const auto& op : ops) {
    for (const auto& n : op.notes)
      sql += "-- " + n + "\n";
    sql += render_one(op);
    sql += "\n";
  }
  while (!sql.empty() && sql.back() == '\n')
    sql.pop_back();
  return sql;
}

std::vector<Op> SchemaDialect::recreate_dependent_views(std::vector<Op> ops,
                                                        const std::set<std::string>& names,
                                                        const Schema& from, const Schema& to,
                                                        const std::string& why) {
  std::set<std::string> handled, dropped, created;
  for (const auto& op : ops) {
    if (auto* v = std::get_if<DropView>(&op.change)) dropped.insert(key_of(v->view.name));
    if (auto* v = std::get_if<CreateView>(&op.change)) created.insert(key_of(v->view.name));
  }
  handled.insert(dropped.begin(), dropped.end());
  handled.insert(created.begin(), created.end());
  // Found in rounds: each round's views read only what earlier rounds
  // found, so drops run in reverse and creates in order.
  std::set<std::string> read(names);
  std::vector<std::string> found;
  for (bool more = true; more;) {
    more = false;
    for (const auto& [k, v] : from.views) {
      if (handled.count(k) || !to.views.count(k)) continue;
      for (const auto& n : read)
        if (view_reads(v, n)) {
          handled.insert(k);
          found.push_back(k);
          read.insert(v.name);
          more = true;
          break;
        }
    }
  }
  std::vector<Op> out;
  for (auto it = found.rbegin(); it != found.rend(); ++it)
    out.push_back({DropView{from.views.at(*it)}, {why}});
  for (const auto& k : found) {
    dropped.insert(k);
    created.insert(k);
  }
  // Unchanged triggers on a view dropped and created again: the ops leave
  // them alone, but the DROP VIEW takes them.
  std::vector<Op> triggers_after;
  std::set<std::string> trigger_ops;
  for (const auto& op : ops) {
    if (auto* t = std::get_if<DropTrigger>(&op.change)) trigger_ops.insert(key_of(t->trigger.name));
    if (auto* t = std::get_if<CreateTrigger>(&op.change))
      trigger_ops.insert(key_of(t->trigger.name));
  }
  for (const auto& [k, tr] : from.triggers) {
    const std::string view = key_of(tr.table);
    if (!dropped.count(view) || !created.count(view) || trigger_ops.count(k) ||
        !to.triggers.count(k))
      continue;
    out.insert(out.begin(), {DropTrigger{tr}, {"created again below, with its view"}});
    triggers_after.push_back({CreateTrigger{to.triggers.at(k)}, {}});
  }
  for (auto& op : ops)
    out.push_back(std::move(op));
  for (const auto& k : found)
    out.push_back({CreateView{to.views.at(k)}, {}});
  for (auto& op : triggers_after)
    out.push_back(std::move(op));
  return out;
}

std::string SchemaDialect::drop_table_sql(const std::string& table) {
  return "-- WARNING: data loss: drops table " + table + " and all its rows\n" + "DROP TABLE " +
         quote_ident(table) + ";\n";
}

// Nothing is lost with a generated column: its values come from the others.
std::string SchemaDialect::drop_column_warning(const std::string& table, const Column& column) {
  if (column.generated) return "";
  return "-- WARNING: data loss: drops column " + table + "." + column.name + " and its values\n";
}

}  // namespace retort
