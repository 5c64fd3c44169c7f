#include "bgm/study/grid_study.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/models/model_state.h"
#include "bgm/study/run_store.h"
#include "test_util.h"

namespace bgm {
namespace fs = std::filesystem;
namespace {

// A study small enough for a test: 100 embedded images, ResNet18 at width 8, one epoch a run.
GridConfig tiny(const std::string& study, const fs::path& root) {
  GridConfig c = grid_preset(study, "cpu");
  c.train_subset = 100;
  c.test_subset = 50;
  c.replicas = {2};
  c.modes = {"vanilla", "sota"};
  c.adversarial_stop.max_epochs = 1;
  c.train_stop.max_epochs = 1;
  c.schedule.cosine_epochs = 1;
  c.precision = "fp32";
  c.compute.precision = Precision::kFp32;
  c.compute.channels_last = true;
  c.measures.hessian_images = 32;
  c.measures.hessian_iterations = 2;
  c.out = root / study;
  c.store = root / "store";
  return c;
}

TEST(GridStudy, SkipsFinishedRunsAndSharesThemBetweenStudies) {
  test::TempDir tmp;
  const auto first = run_grid_study(tiny("ablation", tmp.path()));
  // W0R, W0A-R2, and two modes from each start.
  const auto times = test::result_times(tmp.path() / "store");
  ASSERT_EQ(times.size(), 6u);
  for (const char* role : {"W0R", "W0A-R2", "vanilla-from-W0R", "sota-from-W0A-R2"})
    EXPECT_TRUE(fs::exists(tmp.path() / "ablation" / "runs" / "seed0" / role / "weights.pt")) << role;
  EXPECT_TRUE(fs::exists(tmp.path() / "ablation" / "report.md"));
  EXPECT_EQ(first["cells"]["adversarial"]["vanilla"]["test_acc"]["n"], 1);

  // The same study again: nothing is retrained, the summary is the same.
  const auto again = run_grid_study(tiny("ablation", tmp.path()));
  EXPECT_EQ(test::result_times(tmp.path() / "store"), times);
  EXPECT_EQ(again["cells"], first["cells"]);

  // An R sweep over R = 2 and 1 in the same store reuses every run it shares with the ablation
  // and adds only the R = 1 start and its two runs.
  GridConfig sweep = tiny("rsweep", tmp.path());
  sweep.replicas = {2, 1};
  const auto swept = run_grid_study(sweep);
  const auto after = test::result_times(tmp.path() / "store");
  EXPECT_EQ(after.size(), 9u);
  for (const auto& [id, t] : times) EXPECT_EQ(after.at(id), t) << id;
  EXPECT_EQ(swept["cells"]["R=2"]["vanilla"], first["cells"]["adversarial"]["vanilla"]);
  EXPECT_EQ(swept["cells"]["random"]["sota"], first["cells"]["random"]["sota"]);
  EXPECT_TRUE(swept["cells"].contains("R=1"));
}

TEST(GridStudy, AnUnfinishedRunIsRedoneAndOnlyIt) {
  test::TempDir tmp;
  GridConfig c = tiny("ablation", tmp.path());
  c.modes = {"vanilla"};
  const auto first = run_grid_study(c);
  const auto times = test::result_times(tmp.path() / "store");
  // As after a crash in the middle of vanilla-from-W0A-R2: its result.json is missing.
  const std::string id = first["runs"]["seed0"]["vanilla-from-W0A-R2"]["id"];
  fs::remove(tmp.path() / "store" / id / "result.json");
  const auto again = run_grid_study(c);
  const auto after = test::result_times(tmp.path() / "store");
  for (const auto& [run, t] : times)
    if (run != id) EXPECT_EQ(after.at(run), t) << run;
  // Same seed, same machine: the redone run ends where the first one did.
  EXPECT_EQ(again["cells"], first["cells"]);
}

TEST(GridStudy, DistancesAreMeasuredFromTheStartAndNormalisedByTheEnd) {
  test::TempDir tmp;
  GridConfig c = tiny("ablation", tmp.path());
  c.modes = {"vanilla"};
  const auto s = run_grid_study(c);
  const auto& runs = s["runs"]["seed0"];
  auto weights = [&](const std::string& role) {
    auto m = make_model({c.model.name, 10, c.model.width});  // the embedded data's 10 classes
    load_state_dict(*m, tmp.path() / "store" / runs[role]["id"].get<std::string>() / "weights.pt");
    return trainable_parameters(*m);
  };
  // By hand: ||W0R - W0A|| / ||W0A|| over all trainable parameters.
  double diff = 0, norm = 0;
  const auto a = weights("W0R"), b = weights("W0A-R2");
  for (size_t i = 0; i < a.size(); ++i) {
    diff += (a[i].second - b[i].second).pow(2).sum().item<double>();
    norm += b[i].second.pow(2).sum().item<double>();
  }
  EXPECT_NEAR(runs["W0A-R2"]["distance_from_start"].get<double>(), std::sqrt(diff / norm), 1e-6);
  EXPECT_DOUBLE_EQ(s["cells"]["adversarial"]["vanilla"]["distance_from_start"]["mean"].get<double>(),
                   runs["vanilla-from-W0A-R2"]["distance_from_start"].get<double>());
}

TEST(GridStudy, RepeatedModesOrRsAreRefused) {
  GridConfig c = grid_preset("rsweep", "cpu");
  c.replicas = {4, 4};
  EXPECT_THROW(c.validate(), Error);
  c.replicas = {4};
  c.modes = {"sota", "sota"};
  EXPECT_THROW(c.validate(), Error);
}

TEST(GridStudy, AnotherConfigurationInTheSameDirectoryIsRefused) {
  test::TempDir tmp;
  GridConfig c = tiny("ablation", tmp.path());
  c.modes = {"vanilla"};
  run_grid_study(c);
  c.train_stop.max_epochs = 2;
  try {
    run_grid_study(c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("differs in: train"), std::string::npos) << e.what();
  }
}

TEST(RunStore, RunIdsNameTheKeyAndHashTheIdentity) {
  const nlohmann::json a = {{"seed", 0}, {"mode", "sota"}};
  const std::string id = RunStore::run_id("resnet18w8-s0-sota-from-W0R", a);
  EXPECT_EQ(id.rfind("resnet18w8-s0-sota-from-W0R-", 0), 0u);
  EXPECT_EQ(id.size(), std::string("resnet18w8-s0-sota-from-W0R-").size() + 12);
  EXPECT_EQ(RunStore::run_id("resnet18w8-s0-sota-from-W0R", nlohmann::json{{"mode", "sota"}, {"seed", 0}}), id);
  EXPECT_NE(RunStore::run_id("resnet18w8-s0-sota-from-W0R", {{"seed", 1}, {"mode", "sota"}}), id);
  EXPECT_THROW(RunStore::run_id("a/b", a), Error);
}

}  // namespace
}  // namespace bgm
