// Replays the fuzzers' corpus and every crash they found (fuzz/corpus/TARGET, fuzz/crashes/TARGET)
// through the same targets in the normal build: each input is either accepted or refused with
// bgm::Error, so a parser change that brings a found crash back fails here, not in the field.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "bgm/core/files.h"
#include "targets.h"

namespace bgm {
namespace fuzz {
// Test names and failure messages show the target's name, not its bytes.
void PrintTo(const NamedTarget& target, std::ostream* os) { *os << target.name; }
}  // namespace fuzz

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_of(const std::string& target) {
  std::vector<fs::path> files;
  for (const char* folder : {"corpus", "crashes"}) {
    const fs::path dir = fs::path(BGM_FUZZ_DIR) / folder / target;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file() && entry.path().filename() != "README.md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class FuzzCorpus : public ::testing::TestWithParam<fuzz::NamedTarget> {};

TEST_P(FuzzCorpus, EveryInputIsAcceptedOrRefusedWithAMessage) {
  const auto files = inputs_of(GetParam().name);
  // The corpus is committed: an empty one means it went missing.
  ASSERT_GE(files.size(), 3u) << "fuzz/corpus/" << GetParam().name;
  for (const auto& file : files) {
    const std::string bytes = read_file(file);
    EXPECT_NO_THROW(GetParam().run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size())) << file;
  }
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpus, ::testing::ValuesIn(fuzz::all_targets()),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace bgm
