#pragma once
// The command line this process was started with, recorded in every study's config.json so
// `bgm resume DIR` can run the same command again (which continues every unfinished run from
// its checkpoint).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bgm {

/// Remembers argv and the working directory (main() calls it first).
void record_invocation(int argc, char** argv);

/// {"argv": [...], "cwd": "..."}; null if record_invocation was never called (tests).
nlohmann::json invocation_json();

/// The absolute path of this program (/proc/self/exe), for scripts that run it again.
std::filesystem::path program_path();

}  // namespace bgm
