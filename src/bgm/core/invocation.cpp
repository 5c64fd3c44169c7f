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

std::filesystem::path program_path() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path("bgm") : path;
}

}  // namespace bgm
