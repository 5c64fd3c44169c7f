// `bgm resume DIR`: runs a study's recorded command again in its recorded directory, with
// --out DIR. Finished runs are found in the store and every unfinished one continues from its
// checkpoint, so the study ends exactly as if it had never been stopped.
#include <algorithm>
#include <memory>

#include "commands.h"
#include "recorded_command.h"

namespace bgm::cli {

void add_resume_command(CLI::App& app, Action& action) {
  auto dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("resume", "Continue a stopped or crashed study from its runs' checkpoints");
  cmd->add_option("DIR", *dir, "the study directory (its --out)")->required();
  cmd->callback([dir, &action] {
    action = [dir]() -> int {
      std::string cwd;
      auto argv = recorded_study_argv(*dir, cwd);
      // A planned study makes all its remaining tasks here (its --slurm options are the plan's).
      std::replace(argv.begin() + 1, argv.end(), std::string("--plan"), std::string("--run-all"));
      exec_self(argv, cwd);
    };
  });
}

}  // namespace bgm::cli
