// Runs `bgm ablation` and `bgm rsweep` themselves: every flag reaches the study, and bad lists
// are refused before anything is written.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bgm/core/files.h"
#include "test_util.h"

namespace bgm {
namespace {

const char* const kTiny =
    " --threads 2 --train-subset 100 --test-subset 50 --adv-epochs 1 --epochs 1 --precision fp32"
    " --measures false";  // measured in the reproduce and grid study tests

TEST(GridCli, FlagsReachTheStudyAndTheSeedsRepeatIt) {
  test::TempDir dir;
  const auto out = dir.path() / "abl", store = dir.path() / "store";
  std::string log;
  ASSERT_EQ(test::run_bgm(std::string("ablation") + kTiny + " --replicas 2 --modes vanilla,da --seeds 0-1 --lr 0.05"
                              " --weight-decay 1e-3 --out " + out.string() + " --store " + store.string(), &log), 0)
      << log;
  const auto config = nlohmann::json::parse(read_file(out / "config.json"))["study"];
  EXPECT_EQ(config["modes"], (nlohmann::json{"vanilla", "da"}));
  EXPECT_EQ(config["seeds"], (nlohmann::json{0, 1}));
  EXPECT_EQ(config["train"]["stop"]["max_epochs"], 1);
  EXPECT_DOUBLE_EQ(config["train"]["schedule"]["lr"].get<double>(), 0.05);
  EXPECT_DOUBLE_EQ(config["train"]["weight_decay"].get<double>(), 1e-3);
  EXPECT_EQ(config["adversarial"]["replicas"], (nlohmann::json{2}));
  const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  EXPECT_EQ(summary["cells"]["adversarial"]["da"]["test_acc"]["n"], 2);  // one value per seed
  EXPECT_TRUE(summary["runs"]["seed1"].contains("da-from-W0A-R2"));
  EXPECT_NE(read_file(out / "report.md").find("| da |"), std::string::npos);
  EXPECT_NE(log.find("| vanilla |"), std::string::npos) << log;

  const auto sweep = dir.path() / "sweep";
  ASSERT_EQ(test::run_bgm(std::string("rsweep") + kTiny + " --replicas 1,2 --seeds 0 --lr 0.05 --weight-decay 1e-3"
                              " --out " + sweep.string() + " --store " + store.string(), &log), 0) << log;
  EXPECT_NE(log.find("[W0A-R2] finished earlier"), std::string::npos) << log;
  EXPECT_NE(read_file(sweep / "report.md").find("W0A, R=1"), std::string::npos);
}

TEST(GridCli, BadListsAreRefusedBeforeAnythingIsWritten) {
  test::TempDir dir;
  const auto out = dir.path() / "x";
  std::string log;
  EXPECT_NE(test::run_bgm("ablation --seeds 5-1 --out " + out.string(), &log), 0);
  EXPECT_NE(log.find("--seeds: got '5-1'"), std::string::npos) << log;
  EXPECT_NE(test::run_bgm("rsweep --replicas 1,x --out " + out.string(), &log), 0);
  EXPECT_NE(log.find("--replicas: got '1,x'"), std::string::npos) << log;
  EXPECT_NE(test::run_bgm("ablation --modes vanilla,adam --out " + out.string(), &log), 0);
  EXPECT_NE(log.find("'adam'"), std::string::npos) << log;
  EXPECT_NE(test::run_bgm("ablation --preset paper --out " + out.string(), &log), 0);
  EXPECT_NE(log.find("--data"), std::string::npos) << log;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace bgm

namespace bgm {
namespace {

TEST(ModelsCli, ListsEveryModelWithItsCountsTheToyMlpIncluded) {
  std::string log;
  ASSERT_EQ(test::run_bgm("models --classes 100 --width 64 --json", &log), 0) << log;
  const auto list = nlohmann::json::parse(log);
  std::map<std::string, std::pair<int64_t, size_t>> counts;
  for (const auto& m : list) counts[m["name"]] = {m["parameters"], m["state_dict_entries"]};
  EXPECT_EQ(counts["resnet18"], std::make_pair(int64_t{11220132}, size_t{122}));
  EXPECT_EQ(counts["densenet40"], std::make_pair(int64_t{188092}, size_t{236}));
  EXPECT_EQ(counts["mlp"], std::make_pair(int64_t{10501}, size_t{6}));
  EXPECT_EQ(counts.size(), 5u);
}

}  // namespace
}  // namespace bgm
