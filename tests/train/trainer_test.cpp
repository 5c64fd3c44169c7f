#include "bgm/train/trainer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "bgm/core/files.h"
#include "bgm/models/model_state.h"
#include "bgm/models/model_zoo.h"
#include "test_util.h"

namespace bgm {
namespace {

const Normalization kNorm = cifar10_normalization();

RunSpec spec(const std::string& name, int epochs, double target = -1) {
  RunSpec s;
  s.name = name;
  s.sgd = vanilla_sgd(LrSchedule{});
  s.sgd.batch_size = 16;
  s.stop = {epochs, target, 1};
  return s;
}

}  // namespace

TEST(Trainer, SavedStartingPointIsUnchangedByTrainingACopy) {
  test::TempDir dir;
  torch::manual_seed(3);
  const ModelSpec ms{"resnet18", 10, 4};
  auto w0r = make_model(ms);
  save_state_dict(*w0r, dir.path() / "W0R.pt");
  const auto before = read_file(dir.path() / "W0R.pt");

  auto trained = make_model(ms);
  copy_state(*w0r, *trained);
  const auto data = test::synthetic_dataset(32, 10, 1);
  train_run(*trained, data, data, kNorm, spec("WVR", 1), Compute{}, RunFiles{});

  EXPECT_EQ(read_file(dir.path() / "W0R.pt"), before);  // the file
  auto reloaded = make_model(ms);
  load_state_dict(*reloaded, dir.path() / "W0R.pt");
  auto a = state_dict(*w0r), b = state_dict(*reloaded), c = state_dict(*trained);
  bool moved = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(a[i].second.equal(b[i].second)) << a[i].first;  // the model in memory
    moved |= !a[i].second.equal(c[i].second);
  }
  EXPECT_TRUE(moved);  // and training did change the copy
}

TEST(Trainer, StopsAtTheTargetAndWritesOneRowPerEpoch) {
  test::TempDir dir;
  torch::manual_seed(0);
  auto model = make_model({"resnet18", 10, 4});
  const auto data = test::synthetic_dataset(20, 10, 2);  // 20 images: memorised in a few epochs
  auto s = spec("fit", 80, 100.0);
  s.sgd.batch_size = 10;
  s.sgd.schedule.base_lr = 0.05;
  const auto r = train_run(*model, data, data, kNorm, s, Compute{}, {dir.path() / "fit.csv"});
  EXPECT_TRUE(r.reached_target);
  EXPECT_LT(r.epochs, 80);
  EXPECT_DOUBLE_EQ(r.train.accuracy, 100.0);
  std::istringstream csv(read_file(dir.path() / "fit.csv"));
  std::string line;
  int rows = -1;  // header
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, r.epochs);
}

TEST(Trainer, SameSeedSameWeights) {
  const auto data = test::synthetic_dataset(48, 10, 4);
  auto run = [&](uint64_t seed) {
    torch::manual_seed(1);
    auto model = make_model({"resnet18", 10, 4});
    auto s = spec("r", 2);
    s.seed = seed;
    s.sgd.augment = true;
    train_run(*model, data, data, kNorm, s, Compute{}, RunFiles{});
    return state_dict(*model);
  };
  auto a = run(1), b = run(1), c = run(2);
  bool differs = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(a[i].second.equal(b[i].second)) << a[i].first;
    differs |= !a[i].second.equal(c[i].second);
  }
  EXPECT_TRUE(differs);
}

}  // namespace bgm
