#include <fmt/core.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "bgm/models/mlp.h"
#include "bgm/models/model_state.h"
#include "bgm/models/model_zoo.h"
#include "commands.h"

namespace bgm::cli {
namespace {

struct ModelsFlags {
  int64_t classes = 10;
  int64_t width = kPaperWidth;
  bool json = false;
};

nlohmann::json describe_models(const ModelsFlags& f) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& name : model_names()) {
    auto model = make_model({name, f.classes, f.width});
    list.push_back({{"name", name},
                    {"classes", f.classes},
                    {"width", f.width},
                    {"parameters", count_parameters(*model)},
                    {"state_dict_entries", state_dict(*model).size()}});
  }
  // The toy study's network: fixed size (2-100-100-1, one logit for two classes), no width.
  ToyMlp mlp;
  list.push_back({{"name", "mlp"},
                  {"classes", 2},
                  {"width", nullptr},
                  {"parameters", count_parameters(*mlp)},
                  {"state_dict_entries", state_dict(*mlp).size()},
                  {"layers", {2, 100, 100, 1}}});
  return list;
}

}  // namespace

void add_models_command(CLI::App& app, Action& action) {
  auto flags = std::make_shared<ModelsFlags>();
  auto* cmd = app.add_subcommand("models", "List the model zoo: parameter and state_dict entry counts");
  cmd->add_option("--classes", flags->classes, "number of classes")->check(CLI::Range(int64_t{2}, int64_t{100000}));
  cmd->add_option("--width", flags->width, "width (64 = the paper's sizes)")->check(CLI::Range(int64_t{1}, int64_t{4096}));
  cmd->add_flag("--json", flags->json, "print JSON instead of a table");
  cmd->callback([flags, &action] {
    action = [flags] {
      const auto list = describe_models(*flags);
      if (flags->json) {
        std::cout << list.dump(2) << "\n";
        return 0;
      }
      std::cout << fmt::format("| model | classes | width | parameters | state_dict entries |\n|---|---:|---:|---:|---:|\n");
      for (const auto& m : list)
        std::cout << fmt::format("| {} | {} | {} | {} | {} |\n", m["name"].get<std::string>(), m["classes"].get<int64_t>(),
                                 m["width"].is_null() ? std::string("-") : m["width"].dump(),
                                 m["parameters"].get<int64_t>(), m["state_dict_entries"].get<size_t>());
      return 0;
    };
  });
}

}  // namespace bgm::cli
