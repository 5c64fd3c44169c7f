#include "bgm/core/interrupt.h"

#include <atomic>
#include <csignal>

namespace bgm {
namespace {

// Lock-free, so the handler may set it from whichever thread the kernel chose.
std::atomic<int> requested{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int sig) { requested.store(sig); }

void install(int sig) {
  struct sigaction old = {};
  if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) return;  // nohup, background jobs
  struct sigaction action = {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // A second Ctrl-C ends the process at once. A second SIGTERM does not: Slurm sends one when it
  // picks a job for preemption and another when its grace time ends, and a data-parallel
  // task's ranks get Slurm's and their launcher's; its SIGKILL comes KillWait later anyway.
  action.sa_flags = sig == SIGINT ? SA_RESETHAND : 0;
  sigaction(sig, &action, nullptr);
}

}  // namespace

void install_stop_handlers() {
  install(SIGINT);
  install(SIGTERM);
}

int stop_requested() { return requested.load(); }

void request_stop(int signal) { requested.store(signal); }

void throw_if_stop_requested(const std::string& before) {
  if (const int sig = stop_requested())
    throw Interrupted("stopped by signal " + std::to_string(sig) + " before " + before +
                          "; what is finished is kept: run the same command again (or bgm resume OUT) to continue",
                      sig);
}

}  // namespace bgm
