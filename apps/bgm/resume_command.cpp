// `bgm resume DIR`: runs a study's recorded command again in its recorded directory, with
// --out DIR. Finished runs are found in the store and every unfinished one continues from its
// checkpoint, so the study ends exactly as if it had never been stopped.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "commands.h"

namespace fs = std::filesystem;

namespace bgm::cli {
namespace {

// The recorded argv with --out pointing at dir (replaced where given, else appended).
std::vector<std::string> resume_argv(const nlohmann::json& invocation, const fs::path& dir, const std::string& where) {
  if (!invocation.is_object() || !invocation.contains("argv") || !invocation.at("argv").is_array() ||
      invocation.at("argv").size() < 2)
    throw input_error(where, "no recorded command", "a config.json with \"invocation\" (studies since resume existed; "
                                                    "run the study's command again instead)");
  auto argv = invocation.at("argv").get<std::vector<std::string>>();
  const std::string out = fs::absolute(dir).lexically_normal().string();
  bool replaced = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i] == "--out" && i + 1 < argv.size()) {
      argv[i + 1] = out;
      replaced = true;
    } else if (argv[i].rfind("--out=", 0) == 0) {
      argv[i] = "--out=" + out;
      replaced = true;
    }
  }
  if (!replaced) {
    argv.push_back("--out");
    argv.push_back(out);
  }
  return argv;
}

int resume(const fs::path& dir) {
  const fs::path config = dir / "config.json";
  if (!fs::exists(config)) throw input_error(dir.string(), "a directory without config.json", "a bgm study directory");
  const nlohmann::json recorded = parse_json(read_file(config), config.string(), "a config.json written by bgm");
  // The toy study takes seconds and has no checkpoints: it is run again, into a new directory.
  if (recorded.is_object() && recorded.contains("toy"))
    throw input_error(dir.string(), "a toy study", "a reproduce, ablation or rsweep study (run bgm toy again instead)");
  const nlohmann::json invocation = recorded.is_object() ? recorded.value("invocation", nlohmann::json()) : nlohmann::json();
  auto args = resume_argv(invocation, dir, config.string());
  const std::string cwd = invocation.contains("cwd") && invocation["cwd"].is_string() ? invocation["cwd"].get<std::string>() : "";
  if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
    throw input_error(config.string() + " cwd", cwd + " (" + std::strerror(errno) + ")", "the directory the study ran in");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  ::execv("/proc/self/exe", argv.data());  // the same program, as the study was started
  throw Error(std::string("bgm resume: cannot run /proc/self/exe (") + std::strerror(errno) + ")");
}

}  // namespace

void add_resume_command(CLI::App& app, Action& action) {
  auto dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("resume", "Continue a stopped or crashed study from its runs' checkpoints");
  cmd->add_option("DIR", *dir, "the study directory (its --out)")->required();
  cmd->callback([dir, &action] { action = [dir] { return resume(*dir); }; });
}

}  // namespace bgm::cli
