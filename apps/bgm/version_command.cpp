#include <iostream>

#include "bgm/core/build_info.h"
#include "commands.h"

namespace bgm::cli {

void add_version_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("version", "Print the code and library versions as JSON");
  cmd->callback([&action] {
    action = [] {
      std::cout << build_info_json().dump(2) << "\n";
      return 0;
    };
  });
}

}  // namespace bgm::cli
