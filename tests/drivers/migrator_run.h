// A revision chain built in memory and a migrator run over a test database:
// what the migrator conformance cases share.
#pragma once

#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/revision.h"
#include "core/target.h"
#include "migrate/migrator.h"
#include "project.h"
#include "test_database.h"

namespace retort::test {

inline std::string id_of(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "r%04d", i);
  return buf;
}

inline Revision revision(const RevisionSpec& spec) {
  return parse_revision(render_revision(spec), "versions/" + spec.id + ".sql");
}

// r0001..rNNNN, each creating table tN; `tweak` may change any spec.
inline RevisionGraph chain(int n, const std::function<void(int, RevisionSpec&)>& tweak = {}) {
  std::vector<Revision> revs;
  for (int i = 1; i <= n; ++i) {
    RevisionSpec s{id_of(i), i > 1 ? id_of(i - 1) : "",
                   "CREATE TABLE t" + std::to_string(i) + " (a INTEGER);",
                   "DROP TABLE t" + std::to_string(i) + ";"};
    if (tweak) tweak(i, s);
    revs.push_back(revision(s));
  }
  return RevisionGraph(std::move(revs));
}

struct Run {
  const RevisionGraph& g;
  const TestDatabase& db;
  MigrateOptions o;
  std::ostringstream out;

  Run(const RevisionGraph& graph, const TestDatabase& database, MigrateOptions options = {})
      : g(graph), db(database), o(std::move(options)) {
    o.verbosity = 1;
  }
  void upgrade(const std::string& t = "head") {
    auto d = db.open();
    Migrator(g, *d, o, out).upgrade(parse_target(t));
  }
  void downgrade(const std::string& t = "-1") {
    auto d = db.open();
    Migrator(g, *d, o, out).downgrade(parse_target(t));
  }
  void stamp(const std::string& t, bool purge = false) {
    auto d = db.open();
    Migrator(g, *d, o, out).stamp(parse_target(t), purge);
  }
  std::vector<std::string> heads() {
    auto d = db.open();
    return Migrator(g, *d, o, out).stored_heads();
  }
  // "r0003 2/3" for each partly applied revision.
  std::vector<std::string> partials() {
    auto d = db.open();
    std::vector<std::string> out_rows;
    for (const auto& p : Migrator(g, *d, o, out).partials())
      out_rows.push_back(p.revision + " " + std::to_string(p.done) + "/" + std::to_string(p.total));
    return out_rows;
  }
  void resolve(const std::string& rev, bool applied) {
    auto d = db.open();
    Migrator(g, *d, o, out).resolve(rev, applied);
  }
  long long log(const std::string& direction) {
    return std::stoll(db.value("SELECT count(*) FROM " +
                               db.open()->bookkeeping().quote_name(o.log_table) +
                               " WHERE direction = '" + direction + "'"));
  }
};

using Heads = std::vector<std::string>;

}  // namespace retort::test
