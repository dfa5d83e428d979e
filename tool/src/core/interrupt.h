// SIGINT and SIGTERM while a migration run is under way. The handler only
// records the signal and asks the database to stop the running statement;
// the migrator then rolls the revision back and says where the database is.
// Outside a run the signals keep their default effect.
#pragma once

#include <string>

namespace retort {

// Installed once by main(): SIGINT and SIGTERM as above, SIGPIPE ignored so
// that a closed stdout (`retort upgrade | head -1`) fails a write instead of
// killing the process between two revisions.
void install_signal_handlers();

// The signal that interrupted the current run, or 0.
int interrupted_by();
// "SIGINT" or "SIGTERM".
std::string signal_name(int sig);

// While alive, SIGINT and SIGTERM interrupt instead of killing, and
// `stop(arg)` runs in the handler: it must be async-signal-safe (PQcancel,
// sqlite3_interrupt).
class InterruptScope {
 public:
  InterruptScope(void (*stop)(void*) noexcept, void* arg);
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
  ~InterruptScope();

 private:
  void (*previous_stop_)(void*) noexcept;
  void* previous_arg_;
};

}  // namespace retort
