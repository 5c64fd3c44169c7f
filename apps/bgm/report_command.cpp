// `bgm report DIR`: the figures, report.md and report.html of a study, from its files alone.
#include <filesystem>
#include <iostream>
#include <memory>

#include "bgm/report/study_report.h"
#include "commands.h"
#include "recorded_command.h"

namespace bgm::cli {

void add_report_command(CLI::App& app, Action& action) {
  auto dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("report", "Redraw every figure and table of a study directory (no training)");
  cmd->add_option("DIR", *dir, "a study directory (reproduce, ablation, rsweep or toy)")->required();
  cmd->callback([dir, &action] {
    action = [dir] {
      // A planned study (bgm plan) has no summary until its runs are assembled from the store:
      // its command runs again making nothing, as a study does whose runs are all finished.
      if (std::filesystem::exists(std::filesystem::path(*dir) / "plan.json")) {
        std::string cwd;
        auto argv = recorded_study_argv(*dir, cwd);
        replace_word(argv, "--plan", {"--assemble"}, *dir + "/config.json");
        exec_self(argv, cwd);
      }
      const auto figures = write_study_report(*dir, /*figures_required=*/true);
      for (const auto& f : figures) std::cout << *dir << "/figures/" << f.name << ".png\n";
      std::cout << *dir << "/report.md\n" << *dir << "/report.html\n";
      return 0;
    };
  });
}

}  // namespace bgm::cli
