#pragma once
// Stopping cleanly on SIGINT/SIGTERM: the handlers only record the signal; the trainer looks
// after every step, saves its state and throws Interrupted, and the studies look before every
// new run, so a stopped job loses nothing. A second SIGINT ends the process at once (the default
// action is restored); a second SIGTERM changes nothing (schedulers send it twice). Only the
// studies install the handlers: elsewhere Ctrl-C keeps its usual meaning.
#include <string>

#include "bgm/core/error.h"

namespace bgm {

/// Installs the SIGINT and SIGTERM handlers.
void install_stop_handlers();

/// The signal that asked bgm to stop, or 0.
int stop_requested();

/// Records a stop request as the handler would (tests), or clears it with 0.
void request_stop(int signal);

/// Throws Interrupted if a stop was requested ("... before `before`"): called where a study
/// starts new work (a run, a model's measures).
void throw_if_stop_requested(const std::string& before);

/// A run stopped on request after saving its state; main() exits with 128 + signal.
class Interrupted : public Error {
 public:
  Interrupted(const std::string& message, int signal) : Error(message), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

}  // namespace bgm
