#include "core/interrupt.h"

#include <signal.h>

#include <atomic>

namespace retort {

namespace {

using StopFn = void (*)(void*) noexcept;

std::atomic<int> g_signal{0};
std::atomic<int> g_depth{0};
std::atomic<StopFn> g_stop{nullptr};
std::atomic<void*> g_arg{nullptr};

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<StopFn>::is_always_lock_free &&
                  std::atomic<void*>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

void on_signal(int sig) {
  if (g_depth.load() == 0) {
    // No run to wind down: die of the signal, as without a handler.
    ::signal(sig, SIG_DFL);
    ::raise(sig);
    return;
  }
  int none = 0;
  g_signal.compare_exchange_strong(none, sig);
  if (StopFn stop = g_stop.load()) stop(g_arg.load());
}

}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking wait returns EINTR and looks again
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

int interrupted_by() {
  return g_signal.load();
}

std::string signal_name(int sig) {
  switch (sig) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "signal " + std::to_string(sig);
  }
}

InterruptScope::InterruptScope(StopFn stop, void* arg)
    : previous_stop_(g_stop.load()), previous_arg_(g_arg.load()) {
  g_stop.store(nullptr);  // never a new function with an old argument
  g_arg.store(arg);
  g_stop.store(stop);
  g_depth.fetch_add(1);
}

InterruptScope::~InterruptScope() {
  g_stop.store(nullptr);
  g_arg.store(previous_arg_);
  g_stop.store(previous_stop_);
  g_depth.fetch_sub(1);
}

}  // namespace retort
