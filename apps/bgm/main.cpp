// bgm: which global minimum does SGD reach? The command-line front end; it parses arguments,
// sets the thread count and hands over to the library. Errors end as one line and exit 1
// (3: a study finished with failed runs).
#include <c10/util/Exception.h>
#include <fmt/core.h>

#include <csignal>
#include <cstdio>

#include "bgm/core/error.h"
#include "bgm/core/interrupt.h"
#include "bgm/core/invocation.h"
#include "bgm/core/threads.h"
#include "commands.h"

int main(int argc, char** argv) {
  bgm::record_invocation(argc, argv);
  CLI::App app{"bgm: which global minimum does SGD reach, and why?"};
  app.require_subcommand(1);
  app.fallthrough();  // global options such as --threads may follow the subcommand too
  int threads = 0;
  app.add_option("--threads", threads, "LibTorch threads (default: every core this process may use)")
      ->check(CLI::NonNegativeNumber);
  bgm::cli::Action action;
  bgm::cli::add_reproduce_command(app, action);
  bgm::cli::add_grid_commands(app, action);
  bgm::cli::add_toy_command(app, action);
  bgm::cli::add_report_command(app, action);
  bgm::cli::add_eval_command(app, action);
  bgm::cli::add_resume_command(app, action);
  bgm::cli::add_plan_commands(app, action);
  bgm::cli::add_models_command(app, action);
  bgm::cli::add_version_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "bgm: error: {} (see bgm --help)\n", e.what());
    return e.get_exit_code() ? e.get_exit_code() : 2;
  }
  try {
    bgm::configure_threads(threads);
    return action();
  } catch (const bgm::Interrupted& e) {
    // Die by the signal, as shells expect of a program stopped by one (a loop in a script stops too).
    fmt::print(stderr, "bgm: {}\n", e.what());
    std::fflush(nullptr);
    std::signal(e.signal(), SIG_DFL);
    std::raise(e.signal());
    return 128 + e.signal();
  } catch (const bgm::StudyIncomplete& e) {
    fmt::print(stderr, "bgm: {}\n", e.what());
    return bgm::kIncompleteExitCode;
  } catch (const bgm::Error& e) {
    fmt::print(stderr, "bgm: error: {}\n", e.what());
  } catch (const c10::Error& e) {
    fmt::print(stderr, "bgm: error: {}\n", e.what_without_backtrace());
  } catch (const std::exception& e) {
    fmt::print(stderr, "bgm: error: {}\n", e.what());
  }
  return 1;
}
