#include "bgm/core/invocation.h"

#include <filesystem>

namespace bgm {
namespace {

nlohmann::json& recorded() {
  static nlohmann::json invocation;
  return invocation;
}

}  // namespace

void record_invocation(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  std::error_code ec;
  const auto cwd = std::filesystem::current_path(ec);
  recorded() = {{"argv", args}, {"cwd", ec ? "" : cwd.string()}};
}

nlohmann::json invocation_json() { return recorded(); }

}  // namespace bgm
