// The reproduce study on the run store: a second run of the same study trains nothing, a
// multi-seed study reuses the single-seed runs and aggregates them, and an ablation with the
// same adversarial settings shares reproduce's W0R and W0A.
#include "bgm/study/reproduce.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/study/grid_study.h"
#include "test_util.h"

namespace bgm {
namespace fs = std::filesystem;
namespace {

// 100 embedded images, ResNet18 at width 4, one epoch a run.
ReproduceConfig tiny(const fs::path& root, const std::string& out) {
  ReproduceConfig c = preset_config("quick");
  c.model.width = 4;
  c.train_subset = 100;
  c.test_subset = 50;
  c.replicas = 2;
  c.adversarial_stop.max_epochs = c.vanilla_stop.max_epochs = c.sota_stop.max_epochs = 1;
  c.sota.schedule.cosine_epochs = 1;
  c.precision = "fp32";
  c.compute.precision = Precision::kFp32;
  c.measures.hessian_images = 32;  // measures stay cheap: a few seconds in all
  c.measures.hessian_iterations = 2;
  c.out = root / out;
  c.store = root / "store";
  return c;
}

TEST(ReproduceStudy, RunsAgainWithoutTrainingAndGivesTheSameSummary) {
  test::TempDir tmp;
  const auto first = run_reproduce(tiny(tmp.path(), "a"));
  const auto times = test::result_times(tmp.path() / "store");
  EXPECT_EQ(times.size(), 6u);  // W0R, W0A, WVR, WSR, WVA, WSA
  const auto again = run_reproduce(tiny(tmp.path(), "a"));
  EXPECT_EQ(test::result_times(tmp.path() / "store"), times);
  EXPECT_EQ(again, first);
  // The study's own copies are the store's files.
  EXPECT_EQ(read_file(tmp.path() / "a" / "weights" / "WVA.pt"),
            read_file(tmp.path() / "store" / first["runs"]["WVA"]["id"].get<std::string>() / "weights.pt"));
  EXPECT_EQ(first["runs"]["WVA"]["start"], "W0A");
  EXPECT_EQ(first["runs"]["WVA"]["start_id"], first["runs"]["W0A"]["id"]);
}

TEST(ReproduceStudy, SeveralSeedsReuseEarlierRunsAndAreAggregated) {
  test::TempDir tmp;
  ReproduceConfig one = tiny(tmp.path(), "one");
  one.seeds = {3};
  const auto single = run_reproduce(one);
  const auto times = test::result_times(tmp.path() / "store");

  ReproduceConfig two = tiny(tmp.path(), "two");
  two.seeds = {3, 4};
  const auto both = run_reproduce(two);
  const auto after = test::result_times(tmp.path() / "store");
  EXPECT_EQ(after.size(), 12u);
  for (const auto& [id, t] : times) EXPECT_EQ(after.at(id), t) << id;  // seed 3 not retrained

  EXPECT_EQ(both["seed"], 3);
  EXPECT_EQ(nlohmann::json(both["seeds"]), nlohmann::json::array({3, 4}));
  EXPECT_EQ(both["runs"], single["runs"]);
  EXPECT_EQ(both["by_seed"]["seed3"]["distances"], single["distances"]);
  const auto& wva = both["stats"]["runs"]["WVA"]["test_acc"];
  EXPECT_EQ(wva["n"], 2);
  const double a = both["by_seed"]["seed3"]["runs"]["WVA"]["test_acc"], b = both["by_seed"]["seed4"]["runs"]["WVA"]["test_acc"];
  EXPECT_DOUBLE_EQ(wva["mean"].get<double>(), (a + b) / 2);
  EXPECT_DOUBLE_EQ(wva["min"].get<double>(), std::min(a, b));
  EXPECT_NEAR(wva["std"].get<double>(), std::abs(a - b) / std::sqrt(2.0), 1e-12);
  EXPECT_EQ(both["stats"]["distances"]["d(W0A,WVA)"]["n"], 2);
  EXPECT_TRUE(fs::exists(tmp.path() / "two" / "runs" / "seed4" / "WSR" / "weights.pt"));
  EXPECT_NE(read_file(tmp.path() / "two" / "report.md").find("## Over seeds [3,4]"), std::string::npos);
}

TEST(ReproduceStudy, SharesItsStartsWithAnAblationOfTheSameSettings) {
  test::TempDir tmp;
  const ReproduceConfig r = tiny(tmp.path(), "reproduce");
  const auto study = run_reproduce(r);
  const auto times = test::result_times(tmp.path() / "store");

  GridConfig g = grid_preset("ablation", "cpu");
  g.model.name = r.model.name;
  g.model.width = r.model.width;
  g.train_subset = r.train_subset;
  g.test_subset = r.test_subset;
  g.replicas = {r.replicas};
  g.zero_out = r.zero_out;
  g.adversarial_sgd = r.adversarial_sgd;
  g.adversarial_stop = r.adversarial_stop;
  g.batch_size = r.adversarial_sgd.batch_size;
  g.drop_last = r.adversarial_sgd.drop_last;
  g.modes = {"vanilla"};
  g.schedule = r.vanilla.schedule;
  g.train_stop = r.vanilla_stop;
  g.precision = "fp32";
  g.compute = r.compute;
  g.out = tmp.path() / "ablation";
  g.store = r.store;
  const auto ablation = run_grid_study(g);
  const auto& runs = ablation["runs"]["seed0"];
  EXPECT_EQ(runs["W0R"]["id"], study["runs"]["W0R"]["id"]);
  EXPECT_EQ(runs["W0A-R2"]["id"], study["runs"]["W0A"]["id"]);
  EXPECT_EQ(runs["vanilla-from-W0A-R2"]["id"], study["runs"]["WVA"]["id"]);
  EXPECT_EQ(test::result_times(tmp.path() / "store"), times);  // nothing new was trained
}

TEST(ReproduceStudy, AnotherConfigurationInTheSameDirectoryIsRefused) {
  test::TempDir tmp;
  run_reproduce(tiny(tmp.path(), "a"));
  ReproduceConfig c = tiny(tmp.path(), "a");
  c.replicas = 3;
  try {
    run_reproduce(c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("differs in: adversarial"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bgm
