// Times what an application pays at start-up for its embedded migrations on
// an up-to-date database: the first retort::upgrade() of the process (which
// parses the embedded revisions), then the median of further calls. Prints
// one JSON object.
// The same on an sqlite3* the program keeps open (the overload that takes
// the application's connection), for a SQLite URL's file.
//   embed_bench URL RUNS
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_migrations.h"

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: embed_bench URL RUNS\n");
    return 2;
  }
  const std::string url = argv[1];
  const int runs = std::stoi(argv[2]);
  if (runs < 1) {
    std::fprintf(stderr, "embed_bench: RUNS must be 1 or more\n");
    return 2;
  }
  try {
    auto t0 = std::chrono::steady_clock::now();
    const retort::Script& script = bench_migrations();
    const double parse_ms = ms_since(t0);
    t0 = std::chrono::steady_clock::now();
    auto first = retort::upgrade(script, url);
    const double first_ms = ms_since(t0);
    if (!first.applied.empty()) {
      std::fprintf(stderr, "embed_bench: the database was not up to date\n");
      return 1;
    }
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
      t0 = std::chrono::steady_clock::now();
      retort::upgrade(script, url);
      times.push_back(ms_since(t0));
    }
    std::sort(times.begin(), times.end());
    // sqlite:///PATH: the file, opened once by the "application".
    sqlite3* db = nullptr;
    if (sqlite3_open(url.substr(std::string("sqlite:///").size()).c_str(), &db) != SQLITE_OK)
      return 1;
    std::vector<double> on_connection;
    for (int i = 0; i < runs; ++i) {
      t0 = std::chrono::steady_clock::now();
      retort::upgrade(script, db);
      on_connection.push_back(ms_since(t0));
    }
    sqlite3_close(db);
    std::sort(on_connection.begin(), on_connection.end());
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf(
        "{\"revisions\": %zu, \"parse_ms\": %.3f, \"first_upgrade_ms\": %.3f, "
        "\"upgrade_median_ms\": %.3f, \"connection_upgrade_median_ms\": %.3f, "
        "\"peak_rss_kib\": %ld}\n",
        bench_migrations_revision_count, parse_ms, first_ms, times[times.size() / 2],
        on_connection[on_connection.size() / 2], ru.ru_maxrss);
  } catch (const retort::Error& e) {
    std::fprintf(stderr, "%s", e.format().c_str());
    return 1;
  }
  return 0;
}
