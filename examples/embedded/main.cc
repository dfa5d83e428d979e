// notes: upgrades its database to the migrations compiled into it, then
// would go on to use it. Usage: notes [DATABASE_URL] (default sqlite:///notes.db).
#include <iostream>
#include <string>

#include "notes_migrations.h"

int main(int argc, char** argv) {
  const std::string url = argc > 1 ? argv[1] : "sqlite:///notes.db";
  try {
    retort::Options options;
    options.on_progress = [](const retort::Applied& a) {
      std::cout << "applied " << a.revision << " (" << a.message << ") in "
                << a.duration.count() / 1000.0 << " ms\n";
    };
    retort::Result result = retort::upgrade(notes_migrations(), url, "head", options);
    if (result.applied.empty()) std::cout << "up to date\n";
    std::cout << "database at " << notes_migrations_head << "\n";
  } catch (const retort::Error& e) {
    std::cerr << "notes: cannot prepare the database:\n" << e.format();
    return 1;
  }
  return 0;
}
