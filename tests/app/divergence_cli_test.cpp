// A study goes on past a run that diverged: the runs that do not start from it finish, those
// that do are recorded as not run, summary.json and report.md show each failure in place of its
// numbers, and bgm exits 3. An lr of 1e30 makes a run's loss non-finite within a few steps.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "bgm/core/files.h"
#include "test_util.h"

namespace bgm {
namespace {

namespace fs = std::filesystem;

// Four steps per epoch (100 images, batch 25), so a diverging run fails inside an epoch.
const char* const kTiny =
    " --threads 2 --width 4 --train-subset 100 --test-subset 50 --batch-size 25 --precision fp32"
    " --adv-epochs 1 --vanilla-epochs 1 --sota-epochs 2 --sota-schedule cosine:2";

void expect_has(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "no '" << part << "' in:\n" << text;
}

}  // namespace

TEST(DivergenceCli, ADivergedSotaRunIsReportedAndTheOtherRunsFinish) {
  test::TempDir dir;
  const auto out = dir.path() / "study";
  const std::string command = std::string("reproduce") + kTiny +
                              " --sota-lr 1e30 --hessian-images 16 --hessian-iterations 2 --path-points 3 --out " +
                              out.string() + " --store " + (dir.path() / "store").string();
  std::string log;
  ASSERT_EQ(test::run_bgm(command, &log), 3) << log;
  expect_has(log, "the study finished with failed runs: seed0 WSR (diverged in epoch 1 at step ");
  expect_has(log, "seed0 WSA (diverged in epoch 1 at step ");
  expect_has(log, "[WSR] FAILED (diverged); the study goes on");

  const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  for (const char* run : {"WSR", "WSA"}) {
    const auto& r = summary["runs"][run];
    EXPECT_EQ(r["failed"], "diverged") << r;
    EXPECT_EQ(r["epoch"], 1) << r;
    EXPECT_GE(r["step"].get<int>(), 1) << r;
    EXPECT_LE(r["step"].get<int>(), 4) << r;
    expect_has(r["error"].get<std::string>(), std::string("run sota-from-"));
    EXPECT_FALSE(r.contains("test_acc"));
    EXPECT_FALSE(fs::exists(out / "weights" / (std::string(run) + ".pt"))) << run;
    // The run's directory holds its failure (no epoch finished: no checkpoint).
    const auto failed = nlohmann::json::parse(read_file(out / "runs" / "seed0" / run / "failed.json"));
    EXPECT_EQ(failed["failed"], "diverged");
    EXPECT_EQ(failed["id"], r["id"]);
    EXPECT_FALSE(fs::exists(out / "runs" / "seed0" / run / "result.json"));
  }
  for (const char* run : {"W0R", "W0A", "WVR", "WVA"}) {
    const auto& r = summary["runs"][run];
    EXPECT_FALSE(r.contains("failed")) << run;
    EXPECT_TRUE(r["test_acc"].is_number()) << run;
    EXPECT_TRUE(r["frobenius"].is_number()) << run;
    EXPECT_TRUE(fs::exists(out / "weights" / (std::string(run) + ".pt"))) << run;
  }
  const auto& d = summary["distances"];
  EXPECT_TRUE(d["d(W0R,WSR)"].is_null());
  EXPECT_TRUE(d["d(W0A,WSA)"].is_null());
  EXPECT_GT(d["d(W0R,WVR)"].get<double>(), 0.0);
  EXPECT_GT(d["d(W0A,WVA)"].get<double>(), 0.0);
  EXPECT_EQ(summary["paths"]["W0A->WVA"].size(), 3u);  // the lines need only vanilla runs

  const std::string report = read_file(out / "report.md");
  expect_has(report, "| WSR | SOTA SGD from W0R | diverged | - | - | - | - | - |");
  expect_has(report, "- WSA: run sota-from-W0A-R4: the training loss became NaN or infinite at epoch 1 step ");
  expect_has(report, "- Not decided: WSR, WSA did not finish");
  EXPECT_TRUE(fs::exists(out / "report.html"));
  EXPECT_FALSE(fs::exists(out / "error.txt"));

  // Run again, the finished runs are found and the failed ones retried from their last good
  // checkpoint: the same runs fail the same way.
  const std::string first = read_file(out / "summary.json");
  ASSERT_EQ(test::run_bgm(command, &log), 3) << log;
  expect_has(log, "[vanilla-from-W0A-R4] finished earlier");
  const auto again = nlohmann::json::parse(read_file(out / "summary.json"));
  for (const char* run : {"WSR", "WSA"}) EXPECT_EQ(again["runs"][run]["step"], summary["runs"][run]["step"]) << run;
  EXPECT_EQ(again["runs"]["WVR"]["test_acc"], summary["runs"]["WVR"]["test_acc"]);
}

TEST(DivergenceCli, ADivergedAdversarialStartLeavesItsRunsNotRun) {
  test::TempDir dir;
  const auto out = dir.path() / "study";
  std::string log;
  ASSERT_EQ(test::run_bgm(std::string("reproduce") + kTiny + " --adv-lr 1e30 --measures false --out " + out.string() +
                              " --store " + (dir.path() / "store").string(), &log), 3) << log;
  expect_has(log, "seed0 WVA (not run: its start W0A failed)");
  const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  EXPECT_EQ(summary["runs"]["W0A"]["failed"], "diverged");
  for (const char* run : {"WVA", "WSA"}) {
    EXPECT_EQ(summary["runs"][run]["failed"], "not run") << run;
    EXPECT_EQ(summary["runs"][run]["error"], "not run: its start W0A failed") << run;
    EXPECT_FALSE(fs::exists(out / "runs" / "seed0" / run)) << run;  // never begun
  }
  for (const char* run : {"WVR", "WSR"}) EXPECT_TRUE(summary["runs"][run]["test_acc"].is_number()) << run;
  EXPECT_TRUE(summary["distances"]["d(W0R,W0A)"].is_null());
  EXPECT_TRUE(summary["distances"]["d(W0R,WSR)"].is_number());
  const std::string report = read_file(out / "report.md");
  expect_has(report, "| WVA | vanilla SGD from W0A | not run | - |");
  expect_has(report, "- Not decided: W0A, WVA, WSA did not finish");
}

TEST(DivergenceCli, AGridStudyLeavesFailedRunsOutOfItsCells) {
  test::TempDir dir;
  const auto out = dir.path() / "abl";
  std::string log;
  // Every run diverges at this lr, so every trained cell is empty.
  ASSERT_EQ(test::run_bgm("ablation --threads 2 --width 4 --train-subset 100 --test-subset 50 --batch-size 25"
                          " --adv-epochs 1 --epochs 1 --precision fp32 --measures false --modes vanilla,da --lr 1e30"
                          " --out " + out.string() + " --store " + (dir.path() / "store").string(), &log), 3) << log;
  const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  EXPECT_EQ(summary["runs"]["seed0"]["W0A-R4"]["failed"], "diverged");
  EXPECT_EQ(summary["runs"]["seed0"]["vanilla-from-W0R"]["failed"], "diverged");
  EXPECT_EQ(summary["runs"]["seed0"]["da-from-W0A-R4"]["failed"], "not run");
  EXPECT_TRUE(summary["cells"]["random"]["vanilla"]["test_acc"].is_null());
  EXPECT_EQ(summary["cells"]["adversarial"]["da"]["failed"], 1);
  const std::string report = read_file(out / "report.md");
  expect_has(report, "| vanilla | - (1 failed) | - | - (1 failed) | - | - | - | - |");
  expect_has(report, "- seed0 da-from-W0A-R4: not run: its start W0A-R4 failed");
}

}  // namespace bgm
