// `bgm report DIR`: the figures, report.md and report.html of a study, from its files alone.
#include <iostream>
#include <memory>

#include "bgm/report/study_report.h"
#include "commands.h"

namespace bgm::cli {

void add_report_command(CLI::App& app, Action& action) {
  auto dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("report", "Redraw every figure and table of a study directory (no training)");
  cmd->add_option("DIR", *dir, "a study directory (reproduce, ablation, rsweep or toy)")->required();
  cmd->callback([dir, &action] {
    action = [dir] {
      const auto figures = write_study_report(*dir, /*figures_required=*/true);
      for (const auto& f : figures) std::cout << *dir << "/figures/" << f.name << ".png\n";
      std::cout << *dir << "/report.md\n" << *dir << "/report.html\n";
      return 0;
    };
  });
}

}  // namespace bgm::cli
