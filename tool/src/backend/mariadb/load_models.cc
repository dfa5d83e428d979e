// The models into a scratch database on the target's own server, so the
// server itself parses them (its types, its functions, its sql_mode). MariaDB
// has no transactional DDL to roll back, so the scratch is a database of its
// own, created with the target's character set and collation, read back, and
// always dropped; one left by a killed run is dropped by the next run once it
// is an hour old. The target database is never written.
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <set>

#include "backend/mariadb/mariadb.h"
#include "core/error.h"
#include "core/script_directory.h"
#include "core/text.h"
#include "sql/lexer.h"
#include "sql/statements.h"

namespace retort {

namespace {

constexpr long long kStaleAfterSeconds = 3600;

std::string text_or_empty(const Rows& rows, size_t column) {
  if (rows.empty() || rows[0].size() <= column || rows[0][column].is_null()) return {};
  return rows[0][column].text();
}

// The time a scratch database's name holds: retort_scratch_<pid>_<time>_<random>;
// -1 when the name is not of that form.
long long scratch_time(const std::string& name) {
  if (name.rfind(kMariadbScratchPrefix, 0) != 0) return -1;
  std::string rest = name.substr(kMariadbScratchPrefix.size());
  auto first = rest.find('_');
  if (first == std::string::npos) return -1;
  auto second = rest.find('_', first + 1);
  if (second == std::string::npos) return -1;
  std::string t = rest.substr(first + 1, second - first - 1);
  if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::atoll(t.c_str());
}

// Scratch databases of runs that were killed before they could drop theirs.
// One of a run still going is younger than an hour: it is left alone.
void drop_stale_scratches(Driver& d, long long now) {
  Rows rows;
  try {
    rows = d.query(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE "
        "'retort\\_scratch\\_%'");
  } catch (const Error&) {
    return;  // nothing to clean up that this user could drop
  }
  for (const auto& r : rows) {
    long long t = scratch_time(r[0]);
    if (t < 0 || now - t < kStaleAfterSeconds) continue;
    try {
      d.execute("DROP DATABASE IF EXISTS " + quote_mariadb_name(r[0].text()), SqlOrigin{});
    } catch (const Error&) {  // another user's, or already gone
    }
  }
}

std::string random_suffix() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<unsigned long long>(rd()) << 32) ^ rd());
  static const char* digits = "0123456789abcdef";
  std::string out;
  auto v = gen();
  for (int i = 0; i < 8; ++i, v >>= 4)
    out += digits[v & 15];
  return out;
}

// Drops the scratch and goes back to the target, whatever happened: never
// throws from its destructor.
class Scratch {
 public:
  Scratch(Driver& d, std::string name, std::string target)
      : d_(d), name_(std::move(name)), target_(std::move(target)) {}
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() {
    try {
      if (!target_.empty()) d_.execute("USE " + quote_mariadb_name(target_), SqlOrigin{});
    } catch (...) {  // reset_session() below selects the URL's database again
    }
    try {
      d_.execute("DROP DATABASE IF EXISTS " + quote_mariadb_name(name_), SqlOrigin{});
    } catch (...) {  // a later run drops it once it is an hour old
    }
    try {
      d_.reset_session();  // what the models SET (sql_mode, foreign_key_checks)
    } catch (...) {
    }
  }

 private:
  Driver& d_;
  std::string name_, target_;
};

// A model that leaves the scratch database (USE, CREATE DATABASE) would
// write to another one, the target perhaps: refused at its line.
void refuse_other_databases(const std::string& file, const std::string& sql) {
  for (const auto& span : sql::split_statements(sql, sql::LexerOptions::mariadb())) {
    std::string_view text(sql.data() + span.begin, span.end - span.begin);
    auto toks = sql::tokens(text, sql::LexerOptions::mariadb());
    std::vector<std::string> words;
    for (size_t i = 0; i < toks.size() && i < 2; ++i)
      words.push_back(to_lower(text.substr(toks[i].begin, toks[i].size())));
    bool use = !words.empty() && words[0] == "use";
    bool database = words.size() == 2 &&
                    (words[0] == "create" || words[0] == "drop" || words[0] == "alter") &&
                    (words[1] == "database" || words[1] == "schema");
    if (!use && !database) continue;
    int line = 1;
    for (size_t i = 0; i < span.begin; ++i)
      if (sql[i] == '\n') ++line;
    throw Error("the models may not " + std::string(use ? "switch to" : "create, alter or drop") +
                " a database: autogenerate runs them in a scratch database and compares what "
                "they create there with the target database")
        .at(display_path(file), line)
        .hint("leave " + std::string(use ? "USE" : "CREATE DATABASE") +
              " out of the models, and write names unqualified (CREATE TABLE t, not "
              "CREATE TABLE app.t)");
  }
}

// The target's tables and views with their creation times: a model that
// names the target (CREATE TABLE app.t) changes it, which is refused.
std::set<std::string> snapshot(Driver& d, const std::string& target) {
  std::set<std::string> out;
  if (target.empty()) return out;
  for (const auto& r : d.query("SELECT TABLE_NAME, CREATE_TIME FROM information_schema.TABLES "
                               "WHERE TABLE_SCHEMA = " +
                               quote_mariadb_string(target)))
    out.insert(r[0].text() + " " + r[1].text());
  return out;
}

// Stored programs, events and sequences the models create: not diffed.
std::set<std::string> undiffed_objects(Driver& d, const std::string& db) {
  const std::string name = quote_mariadb_string(db);
  std::set<std::string> out;
  for (const auto& r : d.query(
           "SELECT lower(ROUTINE_TYPE), ROUTINE_NAME FROM information_schema.ROUTINES WHERE "
           "ROUTINE_SCHEMA = " +
           name + " UNION ALL SELECT 'event', EVENT_NAME FROM information_schema.EVENTS WHERE " +
           "EVENT_SCHEMA = " + name +
           " UNION ALL SELECT 'sequence', TABLE_NAME FROM information_schema.TABLES WHERE "
           "TABLE_SCHEMA = " +
           name + " AND TABLE_TYPE = 'SEQUENCE'"))
    out.insert(r[0].text() + " " + r[1].text());
  return out;
}

// Tables that use one the database lacks would fail at upgrade: say so now.
void refuse_undiffed(Driver& d, const std::string& scratch, const std::string& target) {
  std::set<std::string> made = undiffed_objects(d, scratch);
  if (made.empty()) return;
  std::set<std::string> there;
  if (!target.empty()) there = undiffed_objects(d, target);
  std::vector<std::string> missing;
  for (const auto& o : made)
    if (!there.count(o)) missing.push_back(o);
  if (missing.empty()) return;
  throw Error("the models create " + join(missing, ", ") +
              ", which autogenerate does not write revisions for, and the database has none of "
              "that name")
      .hint("create " + std::string(missing.size() > 1 ? "them" : "it") +
            " in a hand-written revision first (retort revision --empty -m MESSAGE, then retort "
            "upgrade), and autogenerate again; it compares tables, columns, keys, indexes, "
            "views and triggers");
}

}  // namespace

Schema load_models_mariadb(Driver& d, const std::vector<std::string>& files,
                           const std::vector<std::string>& exclude_tables) {
  Rows info = d.query(
      "SELECT DATABASE(), @@character_set_database, @@collation_database, UNIX_TIMESTAMP()");
  const std::string target = text_or_empty(info, 0);
  const long long now = std::atoll(text_or_empty(info, 3).c_str());
  drop_stale_scratches(d, now);
  const std::string name = std::string(kMariadbScratchPrefix) + std::to_string(::getpid()) + "_" +
                           std::to_string(now) + "_" + random_suffix();
  std::string create = "CREATE DATABASE " + quote_mariadb_name(name);
  if (!text_or_empty(info, 1).empty())
    create += " CHARACTER SET " + text_or_empty(info, 1) + " COLLATE " + text_or_empty(info, 2);
  try {
    d.execute(create, SqlOrigin{});
  } catch (Error& e) {
    e.hint(
        "autogenerate loads the models into a scratch database that it creates on the same "
        "server and always drops: the database user needs the CREATE privilege for it, and DROP "
        "and what the models do (GRANT CREATE, DROP, ALTER, INDEX, REFERENCES, CREATE VIEW, "
        "TRIGGER ON `retort\\_scratch\\_%`.* TO ...)");
    throw;
  }
  Scratch scratch(d, name, target);
  d.execute("USE " + quote_mariadb_name(name), SqlOrigin{});
  const std::set<std::string> before = snapshot(d, target);
  for (const auto& f : files) {
    std::string sql = read_file(f);
    refuse_other_databases(f, sql);
    try {
      d.execute(sql, SqlOrigin{display_path(f), 1, {}});
    } catch (Error& e) {
      e.hint(
          "the models are SQL that builds the schema you want; they run in a scratch database "
          "that is dropped after; fix this statement in " +
          display_path(f));
      throw;
    }
  }
  if (snapshot(d, target) != before)
    throw Error("the models create or change tables in the database " + target +
                " itself, which autogenerate compares them with")
        .hint("write the names in the models unqualified (CREATE TABLE t, not CREATE TABLE " +
              target + ".t): they run in a scratch database");
  refuse_undiffed(d, name, target);
  IntrospectOptions o;
  o.exclude_tables = exclude_tables;
  o.schema = name;
  return introspect_mariadb(d, o);
}

}  // namespace retort
