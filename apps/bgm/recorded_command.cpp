#include "recorded_command.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "bgm/core/error.h"
#include "bgm/core/files.h"

namespace fs = std::filesystem;

namespace bgm::cli {

std::vector<std::string> recorded_study_argv(const fs::path& dir, std::string& cwd) {
  const fs::path config = dir / "config.json";
  if (!fs::exists(config)) throw input_error(dir.string(), "a directory without config.json", "a bgm study directory");
  const nlohmann::json recorded = parse_json(read_file(config), config.string(), "a config.json written by bgm");
  // The toy study takes seconds and has no checkpoints or plan: it is run again instead.
  if (recorded.is_object() && recorded.contains("toy"))
    throw input_error(dir.string(), "a toy study", "a reproduce, ablation or rsweep study (run bgm toy again instead)");
  const nlohmann::json invocation = recorded.is_object() ? recorded.value("invocation", nlohmann::json()) : nlohmann::json();
  if (!invocation.is_object() || !invocation.contains("argv") || !invocation.at("argv").is_array() ||
      invocation.at("argv").size() < 2)
    throw input_error(config.string(), "no recorded command",
                      "a config.json with \"invocation\" (studies since resume existed; run the study's command again instead)");
  auto argv = invocation.at("argv").get<std::vector<std::string>>();
  cwd = invocation.contains("cwd") && invocation["cwd"].is_string() ? invocation["cwd"].get<std::string>() : "";
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

void replace_word(std::vector<std::string>& argv, const std::string& from, const std::vector<std::string>& to,
                  const std::string& where) {
  auto it = std::find(argv.begin() + 1, argv.end(), from);
  if (it == argv.end())
    throw input_error(where, "a command without " + from, "a study planned with `bgm plan STUDY ... --out DIR`");
  it = argv.erase(it);
  argv.insert(it, to.begin(), to.end());
}

void exec_self(std::vector<std::string> args, const std::string& cwd) {
  if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
    throw input_error("the study's recorded working directory", cwd + " (" + std::strerror(errno) + ")",
                      "the directory the study ran in");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  ::execv("/proc/self/exe", argv.data());  // the same program, as the study was started
  throw Error(std::string("cannot run /proc/self/exe again (") + std::strerror(errno) + ")");
}

}  // namespace bgm::cli
