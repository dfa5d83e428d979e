#include "schema/schema_model.h"

#include "core/text.h"
#include "sql/tokens.h"

namespace retort {

std::string key_of(const std::string& name) {
  return to_lower(name);
}

bool same_name(const std::string& a, const std::string& b) {
  return to_lower(a) == to_lower(b);
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!same_name(a[i], b[i])) return false;
  return true;
}

bool view_reads(const View& v, const std::string& name) {
  if (!v.reads_known) return sql_mentions(v.definition, name);
  for (const auto& r : v.reads)
    if (same_name(r, name)) return true;
  return false;
}

const Column* Table::column(const std::string& n) const {
  for (const auto& c : columns)
    if (same_name(c.name, n)) return &c;
  return nullptr;
}

const Constraint* Table::primary_key() const {
  for (const auto& c : constraints)
    if (c.kind == Constraint::Kind::kPrimaryKey) return &c;
  return nullptr;
}

const Table* Schema::table(const std::string& name) const {
  auto it = tables.find(key_of(name));
  return it == tables.end() ? nullptr : &it->second;
}

// "mood", "\"Mood\"" or "mood[]": the type names, as format_type() spells them.
const EnumType* Schema::enum_of_type(const std::string& column_type) const {
  std::string t = column_type;
  while (t.size() >= 2 && t.compare(t.size() - 2, 2, "[]") == 0)
    t.erase(t.size() - 2);
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = t.substr(1, t.size() - 2);
  auto it = enums.find(key_of(t));
  return it == enums.end() ? nullptr : &it->second;
}

std::vector<const Index*> Schema::indexes_on(const std::string& t) const {
  std::vector<const Index*> out;
  for (const auto& [k, ix] : indexes)
    if (same_name(ix.table, t)) out.push_back(&ix);
  return out;
}

std::vector<const Trigger*> Schema::triggers_on(const std::string& t) const {
  std::vector<const Trigger*> out;
  for (const auto& [k, tr] : triggers)
    if (same_name(tr.table, t)) out.push_back(&tr);
  return out;
}

namespace {

std::string describe_key(const Constraint& c) {
  std::string cols = "(" + join(c.columns, ", ") + ")";
  // A key's options, so that a change to one alone shows in what is reported.
  auto options = [](const std::string& s) { return s.empty() ? s : " " + s; };
  switch (c.kind) {
    case Constraint::Kind::kPrimaryKey:
      return "PRIMARY KEY " + cols + options(c.expression);
    case Constraint::Kind::kUnique:
      return "UNIQUE " + cols + options(c.expression);
    case Constraint::Kind::kCheck:
      return "CHECK (" + c.expression + ")";
    case Constraint::Kind::kForeignKey: {
      std::string s = "FOREIGN KEY " + cols + " REFERENCES " + c.ref_table;
      if (!c.ref_columns.empty()) s += " (" + join(c.ref_columns, ", ") + ")";
      // In SQL's order: MATCH comes before the actions, DEFERRABLE after.
      std::string rest = c.expression;
      if (starts_with_ci(rest, "MATCH FULL")) {
        s += " MATCH FULL";
        rest = std::string(trim(rest.substr(10)));
      }
      if (c.on_delete != "NO ACTION") s += " ON DELETE " + c.on_delete;
      if (c.on_update != "NO ACTION") s += " ON UPDATE " + c.on_update;
      return s + options(rest);
    }
  }
  return {};
}

}  // namespace

std::string describe(const Constraint& c) {
  std::string s = describe_key(c);
  return c.not_valid ? s + " NOT VALID" : s;
}

}  // namespace retort
