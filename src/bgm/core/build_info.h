#pragma once
// What built this binary and what it runs on: recorded into every run's config, so a result can
// be traced to the exact code and libraries that produced it.
#include <nlohmann/json.hpp>

namespace bgm {

extern const char* const kGitCommit;  ///< short commit, "-dirty" if tracked files differed
extern const char* const kCompiler;
extern const char* const kBuildType;

/// Code version, compiler, LibTorch version and its backends, thread count, CPU model.
nlohmann::json build_info_json();

}  // namespace bgm
