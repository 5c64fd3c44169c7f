#include "bgm/study/toy.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/image_decode.h"
#include "test_util.h"

namespace bgm {
namespace {

TEST(ToyStudy, WritesFourPanelsAndTheSummaryShape) {
  test::TempDir tmp;
  ToyConfig c;
  c.max_epochs = 30;  // settings 1, 3 and 4 fit in an epoch or two; 2 needs thousands
  c.picture_size = 64;
  c.margin_grid = 128;
  c.out = tmp.path() / "toy";
  const auto summary = run_toy_study(c);
  for (const char* k : {"1", "2", "3", "4"}) {
    const auto& s = summary["settings"][k];
    EXPECT_TRUE(s.contains("train_acc") && s.contains("margin")) << k;
    const auto png = read_file(c.out / (std::string("setting") + k + ".png"));
    const RgbImage img = decode_image(png, "setting.png");
    EXPECT_EQ(img.width, 64);
    EXPECT_EQ(img.height, 64);
  }
  EXPECT_DOUBLE_EQ(summary["settings"]["1"]["train_acc"].get<double>(), 100.0);
  EXPECT_GT(summary["settings"]["1"]["margin"].get<double>(), 0.0);
  EXPECT_LT(summary["settings"]["2"]["train_acc"].get<double>(), 100.0);  // capped at 30 epochs
  EXPECT_EQ(decode_image(read_file(c.out / "toy.png"), "toy.png").width, 4 * 64 + 3 * 12);
  EXPECT_EQ(summary["settings"]["4"]["training_points"], 300);
}

TEST(ToyStudy, SeveralSeedsGetTheirOwnPanelsAndStatistics) {
  test::TempDir tmp;
  ToyConfig c = toy_preset("cpu");
  c.seeds = {0, 1};
  c.max_epochs = 3;  // settings 1, 3 and 4 fit in an epoch or two; 2 is capped
  c.picture_size = 32;
  c.margin_grid = 64;
  c.out = tmp.path() / "toy";
  const auto summary = run_toy_study(c);
  EXPECT_EQ(summary["preset"], "cpu");
  EXPECT_EQ(summary["seed"], 0);
  EXPECT_EQ(summary["settings"], summary["by_seed"]["seed0"]["settings"]);
  EXPECT_NE(summary["by_seed"]["seed0"]["settings"]["1"]["margin"], summary["by_seed"]["seed1"]["settings"]["1"]["margin"]);
  for (const char* seed : {"seed0", "seed1"})
    EXPECT_EQ(decode_image(read_file(c.out / seed / "setting4.png"), "setting4.png").width, 32) << seed;
  const RgbImage all = decode_image(read_file(c.out / "toy.png"), "toy.png");
  EXPECT_EQ(all.width, 4 * 32 + 3 * 12);
  EXPECT_EQ(all.height, 2 * 32 + 12);  // one row of panels per seed
  const auto& margin = summary["stats"]["1"]["margin"];
  EXPECT_EQ(margin["n"], 2);
  const double a = summary["by_seed"]["seed0"]["settings"]["1"]["margin"], b = summary["by_seed"]["seed1"]["settings"]["1"]["margin"];
  EXPECT_DOUBLE_EQ(margin["mean"].get<double>(), (a + b) / 2);
  EXPECT_NE(read_file(c.out / "report.md").find("Over seeds [0,1]"), std::string::npos);
  EXPECT_THROW(toy_preset("fast"), Error);
}

}  // namespace
}  // namespace bgm
