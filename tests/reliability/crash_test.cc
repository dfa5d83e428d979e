// Crash trials: `retort upgrade head` on 30 revisions is killed with SIGKILL
// at a random moment, on SQLite and on PostgreSQL. Afterwards the version
// table, the log and the schema always agree (each applied revision's table
// exists with all its rows, none beyond), and a rerun completes.
//   RETORT_CRASH_TRIALS (default 50) and RETORT_CRASH_SEED override the run.
#include <signal.h>
#include <time.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <set>

#include "project.h"
#include "reliability_support.h"

using namespace retort::test;

namespace {

constexpr int kRevisions = 30;
constexpr int kRows = 300;

// Each revision creates its table and fills it, so a kill can land inside a
// revision's transaction and not only between them.
std::vector<std::string> add_work_chain(Project& p) {
  std::vector<std::string> ids;
  for (int i = 1; i <= kRevisions; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "r%04d", i);
    std::string t = "t" + std::to_string(i);
    std::string fill = p.text("sql: fill table T with ids 1 to N");
    fill.replace(fill.find("{T}"), 3, t);
    fill.replace(fill.find("{N}"), 3, std::to_string(kRows));
    p.add({id, ids.empty() ? "" : ids.back(),
           "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY);\n" + fill, "DROP TABLE " + t + ";"});
    ids.push_back(id);
  }
  return ids;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Where DDL commits as it runs, the kill may land inside revision k: its
// table is there, and the progress table must say how far it got.
int partials_seen = 0;  // kills that left a revision partly applied

void check_partial(const Project& p, const std::vector<std::string>& ids, int k) {
  ++partials_seen;
  const std::string t = "t" + std::to_string(k);
  auto rows = p.fixture().column(p.database(),
                                 "SELECT revision, statements_done, statements_total FROM "
                                 "retort_version_progress");
  REQUIRE(rows.size() == 1);
  const std::string done = rows[0].substr(rows[0].find_first_of(" \t|") + 1, 1);
  CHECK(rows[0].rfind(ids[static_cast<size_t>(k - 1)], 0) == 0);
  // CREATE TABLE and its record were one command; so were the INSERT and its.
  CHECK((done == "1" || done == "2"));
  CHECK(p.value("SELECT count(*) FROM " + t) == (done == "2" ? std::to_string(kRows) : "0"));
}

// Checks that what the database says it has applied is what it holds, and
// returns how many revisions that is.
int check_consistent(const Project& p, const std::vector<std::string>& ids) {
  if (!p.fixture().exists(p.database())) return 0;
  p.fixture().require_intact(p.database());
  auto tables = p.tables();
  int k = 0;
  while (k < kRevisions && has(tables, "t" + std::to_string(k + 1)))
    ++k;
  std::vector<std::string> expected;
  for (int i = 1; i <= k; ++i)
    expected.push_back("t" + std::to_string(i));
  for (const char* bookkeeping : {"retort_log", "retort_version"})
    if (has(tables, bookkeeping)) expected.push_back(bookkeeping);
  std::sort(expected.begin(), expected.end());
  INFO("applied tables: " << k);
  CHECK(tables == expected);  // no table of a revision beyond k
  if (!has(tables, "retort_version")) {
    CHECK(k == 0);
    return k;
  }
  std::vector<std::string> want_heads;
  if (k > 0) want_heads.push_back(ids[static_cast<size_t>(k - 1)]);
  if (!p.fixture().capabilities().transactional_ddl && k > 0 && p.heads() != want_heads) {
    // Revision k is partly applied: the heads are at k - 1, and what
    // follows checks revisions 1 to k - 1.
    check_partial(p, ids, k);
    --k;
    want_heads.clear();
    if (k > 0) want_heads.push_back(ids[static_cast<size_t>(k - 1)]);
  }
  CHECK(p.heads() == want_heads);
  if (has(tables, "retort_log")) {
    CHECK(p.value("SELECT count(*) FROM retort_log WHERE direction = 'upgrade'") ==
          std::to_string(k));
    CHECK(p.value("SELECT count(DISTINCT revision) FROM retort_log") == std::to_string(k));
  } else {
    CHECK(k == 0);
  }
  if (k > 0) {
    std::string sum = "SELECT 0";
    for (int i = 1; i <= k; ++i)
      sum += " + (SELECT count(*) FROM t" + std::to_string(i) + ")";
    CHECK(p.value(sum) == std::to_string(k * kRows));  // no revision half applied
  }
  return k;
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

void sleep_us(long us) {
  struct timespec ts {
    us / 1000000, (us % 1000000) * 1000
  };
  nanosleep(&ts, nullptr);
}

}  // namespace

TEST_CASE("upgrade killed with SIGKILL at a random moment leaves a consistent database") {
  const std::string backend = GENERATE(all_backends());
  const int trials = env_int("RETORT_CRASH_TRIALS", 50);
  const unsigned seed =
      static_cast<unsigned>(env_int("RETORT_CRASH_SEED", static_cast<int>(std::random_device{}())));
  INFO("backend " << backend << ", seed " << seed << " (RETORT_CRASH_SEED to replay)");
  std::mt19937 rng(seed);

  // How long an uninterrupted run takes (the fastest of three), so the kills
  // spread over all of it.
  long full_us = 0;
  for (int i = 0; i < 3; ++i) {
    Project p(backend);
    add_work_chain(p);
    auto t0 = std::chrono::steady_clock::now();
    auto r = p.run({"upgrade", "head"});
    long us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    INFO(r.all());
    REQUIRE(r.exit_code == 0);
    full_us = i == 0 ? us : std::min(full_us, us);
  }
  std::uniform_int_distribution<long> delay(0, full_us);

  int killed = 0, finished_first = 0, reruns_ok = 0;
  partials_seen = 0;
  std::set<int> points;  // how many revisions were applied when a kill landed
  int mid_run = 0;
  for (int trial = 0; trial < trials; ++trial) {
    INFO("trial " << trial);
    Project p(backend);
    auto ids = add_work_chain(p);
    long wait = delay(rng);
    auto proc = start_retort({"upgrade", "head"}, {p.root(), {}});
    sleep_us(wait);
    kill(proc.pid, SIGKILL);
    // Killed between fork and exec, the child never opened its output files.
    for (const auto& path : {proc.out_path, proc.err_path})
      if (!file_exists(path)) write_text(path, "");
    auto r = wait_retort(proc);
    INFO("killed after " << wait << " us; exit " << r.exit_code << "\n" << r.all());
    if (r.exit_code == 128 + SIGKILL) {
      ++killed;
    } else {
      CHECK(r.exit_code == 0);
      ++finished_first;
    }
    int k = check_consistent(p, ids);
    if (r.exit_code == 128 + SIGKILL) {
      points.insert(k);
      if (k > 0 && k < kRevisions) ++mid_run;
    }
    auto rerun = p.run({"upgrade", "head"});
    INFO(rerun.all());
    CHECK(rerun.exit_code == 0);
    CHECK(check_consistent(p, ids) == kRevisions);
    CHECK(p.log_count(ids.back(), "upgrade") == 1);
    reruns_ok += rerun.exit_code == 0;
  }
  std::string spread;
  for (int k : points)
    spread += (spread.empty() ? "" : ",") + std::to_string(k);
  report("crash-" + backend,
         "crash " + backend + ": " + std::to_string(trials) + " trials (seed " +
             std::to_string(seed) + "), " + std::to_string(killed) + " killed mid-run (" +
             std::to_string(mid_run) + " between revisions 1 and " +
             std::to_string(kRevisions - 1) + "; applied counts seen: " + spread + "), " +
             std::to_string(finished_first) + " finished before the kill; " +
             std::to_string(partials_seen) + " left a revision partly applied, as recorded; " +
             std::to_string(reruns_ok) + " reruns completed; full run " +
             std::to_string(full_us / 1000) + " ms");
  CHECK(reruns_ok == trials);
  CHECK(killed >= trials / 4);  // the delays must really interrupt runs
}
