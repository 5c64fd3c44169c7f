#pragma once
// A study's recorded command (config.json's "invocation"), run again: `bgm resume` continues it,
// `bgm run-task` makes one of its planned runs, `bgm report` assembles a planned study.
#include <filesystem>
#include <string>
#include <vector>

namespace bgm::cli {

/// The command recorded in dir/config.json with --out pointing at dir (replaced where given,
/// else appended). Throws bgm::Error naming the file if there is none. The working directory
/// the study ran in comes back in `cwd` (empty if not recorded).
std::vector<std::string> recorded_study_argv(const std::filesystem::path& dir, std::string& cwd);

/// Replaces `argv`'s first `from` by `to` (several words); throws bgm::Error naming `where` if
/// absent.
void replace_word(std::vector<std::string>& argv, const std::string& from, const std::vector<std::string>& to,
                  const std::string& where);

/// Runs this program again with argv in `cwd` (if not empty), replacing this process.
[[noreturn]] void exec_self(std::vector<std::string> argv, const std::string& cwd);

}  // namespace bgm::cli
