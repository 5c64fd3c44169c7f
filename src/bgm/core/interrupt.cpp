#include "bgm/core/interrupt.h"

#include <csignal>

namespace bgm {
namespace {

volatile std::sig_atomic_t requested = 0;

extern "C" void on_stop_signal(int sig) {
  requested = sig;
  std::signal(sig, SIG_DFL);
}

}  // namespace

void install_stop_handlers() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

int stop_requested() { return requested; }

void request_stop(int signal) { requested = signal; }

}  // namespace bgm
