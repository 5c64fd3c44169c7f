// Checkpoints and resume: a run stopped at any step and continued ends bitwise where the same run
// left alone ends; momentum survives save and load; another configuration or a broken file is
// refused by name; a diverged run names its step and keeps its last good checkpoint.
#include "bgm/train/checkpoint.h"

#include <gtest/gtest.h>

#include <csignal>

#include "bgm/core/files.h"
#include "bgm/core/interrupt.h"
#include "bgm/models/model_zoo.h"
#include "bgm/train/trainer.h"
#include "test_util.h"

namespace bgm {
namespace {

const Normalization kNorm = cifar10_normalization();
const ModelSpec kModel{"resnet18", 10, 4};

// SOTA-like: momentum, weight decay and augmentation, so every piece of state matters.
RunSpec sota_spec(int epochs) {
  RunSpec s;
  s.name = "WSA";
  s.seed = 5;
  s.sgd = sota_sgd(LrSchedule{});
  s.sgd.schedule.base_lr = 0.05;
  s.sgd.batch_size = 8;
  s.stop = {epochs, -1, 1};
  return s;
}

Classifier fresh_model() {
  torch::manual_seed(11);
  return make_model(kModel);
}

// Trains to the end, stopping (as SIGTERM would) after each listed (epoch, step) and resuming.
NamedTensors train_with_stops(const Dataset& data, const RunSpec& spec, const std::filesystem::path& ckpt,
                              std::vector<std::pair<int, int64_t>> stops, int* interruptions) {
  *interruptions = 0;
  for (;;) {
    auto model = fresh_model();
    TrainHooks hooks;
    hooks.after_step = [&](int epoch, int64_t step) {
      if (!stops.empty() && stops.front() == std::pair<int, int64_t>{epoch, step}) {
        stops.erase(stops.begin());
        request_stop(SIGTERM);
      }
    };
    try {
      train_run(*model, data, data, kNorm, spec, Compute{}, {{}, ckpt, {{"test", 1}}}, hooks);
      return state_dict(*model);
    } catch (const Interrupted& e) {
      request_stop(0);
      ++*interruptions;
      EXPECT_EQ(e.signal(), SIGTERM);
      EXPECT_NE(std::string(e.what()).find(ckpt.string()), std::string::npos) << e.what();
    }
  }
}

void expect_bitwise_equal(const NamedTensors& a, const NamedTensors& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(a[i].second.equal(b[i].second)) << a[i].first;
}

}  // namespace

TEST(Checkpoint, ResumedRunEndsBitwiseWhereTheUninterruptedOneDoes) {
  const auto data = test::synthetic_dataset(40, 10, 3);  // 5 steps per epoch
  const auto spec = sota_spec(3);
  test::TempDir dir;
  auto straight = fresh_model();
  const auto r = train_run(*straight, data, data, kNorm, spec, Compute{}, RunFiles{});
  const auto expected = state_dict(*straight);

  int interruptions = 0;
  // Mid-epoch, at the last step of an epoch (stops at its end), at the first step, twice in one epoch.
  const auto resumed = train_with_stops(data, spec, dir.path() / "a.pt", {{1, 2}, {1, 5}, {2, 1}, {3, 2}, {3, 4}},
                                        &interruptions);
  EXPECT_EQ(interruptions, 5);
  expect_bitwise_equal(resumed, expected);
  // The history is whole: one row per epoch, equal to the uninterrupted run's.
  const auto c = load_checkpoint(dir.path() / "a.pt");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->position.stopped);
  ASSERT_EQ(c->position.history.size(), 3u);
  for (size_t e = 0; e < 3; ++e) {
    EXPECT_EQ(c->position.history[e].running_loss, r.history[e].running_loss) << e;
    EXPECT_EQ(c->position.history[e].test.accuracy, r.history[e].test.accuracy) << e;
  }
  EXPECT_EQ(c->position.steps, 15);
}

TEST(Checkpoint, AFinishedCheckpointReturnsItsResultWithoutTraining) {
  const auto data = test::synthetic_dataset(16, 10, 1);
  test::TempDir dir;
  auto model = fresh_model();
  const auto first = train_run(*model, data, data, kNorm, sota_spec(1), Compute{}, {{}, dir.path() / "c.pt", {}});
  const auto bytes = read_file(dir.path() / "c.pt");
  auto again = fresh_model();
  const auto second = train_run(*again, data, data, kNorm, sota_spec(1), Compute{}, {{}, dir.path() / "c.pt", {}});
  EXPECT_EQ(read_file(dir.path() / "c.pt"), bytes);
  EXPECT_EQ(second.epochs, first.epochs);
  EXPECT_EQ(second.test.loss, first.test.loss);
  expect_bitwise_equal(state_dict(*again), state_dict(*model));
}

TEST(Checkpoint, MomentumBuffersSurviveSaveAndLoadExactly) {
  test::TempDir dir;
  Checkpoint c;
  c.config = {{"a", 1}};
  c.position.epochs_done = 2;
  c.position.order_state = "x";
  c.model = {{"w", torch::randn({3, 2})}};
  c.momentum = {{"w", torch::randn({3, 2})}, {"b", torch::randn({4}, torch::kFloat64)}};
  c.torch_rng = torch::arange(5).to(torch::kUInt8);
  c.threads = 3;
  save_checkpoint(dir.path() / "m.pt", c);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "m.pt.tmp"));
  const auto back = load_checkpoint(dir.path() / "m.pt");
  ASSERT_TRUE(back);
  ASSERT_EQ(back->momentum.size(), 2u);
  EXPECT_EQ(back->momentum[1].first, "b");
  EXPECT_TRUE(back->momentum[0].second.equal(c.momentum[0].second));
  EXPECT_TRUE(back->momentum[1].second.equal(c.momentum[1].second));
  EXPECT_TRUE(back->torch_rng.equal(c.torch_rng));
  EXPECT_EQ(back->threads, 3);
  EXPECT_EQ(back->config, c.config);
  EXPECT_EQ(back->position.epochs_done, 2);
  EXPECT_FALSE(load_checkpoint(dir.path() / "none.pt"));
}

TEST(Checkpoint, ResumingUnderAnotherConfigurationNamesTheFields) {
  const auto data = test::synthetic_dataset(16, 10, 1);
  test::TempDir dir;
  auto spec = sota_spec(2);
  // A stopped run, then another learning rate and identity.
  auto model = fresh_model();
  TrainHooks hooks;
  hooks.after_step = [](int, int64_t step) { if (step == 1) request_stop(SIGINT); };
  EXPECT_THROW(train_run(*model, data, data, kNorm, spec, Compute{}, {{}, dir.path() / "c.pt", {{"test", 1}}}, hooks),
               Interrupted);
  request_stop(0);
  spec.sgd.schedule.base_lr = 0.01;
  try {
    train_run(*model, data, data, kNorm, spec, Compute{}, {{}, dir.path() / "c.pt", {{"test", 2}}});
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("c.pt: got a run saved under another configuration"), std::string::npos) << m;
    EXPECT_NE(m.find("identity.test"), std::string::npos) << m;
    EXPECT_NE(m.find("sgd.lr"), std::string::npos) << m;
  }
}

TEST(Checkpoint, ABrokenCheckpointIsAnErrorNamingIt) {
  test::TempDir dir;
  const auto data = test::synthetic_dataset(16, 10, 1);
  auto model = fresh_model();
  train_run(*model, data, data, kNorm, sota_spec(1), Compute{}, {{}, dir.path() / "c.pt", {}});
  const auto bytes = read_file(dir.path() / "c.pt");
  write_file_atomic(dir.path() / "c.pt", bytes.substr(0, bytes.size() / 2));
  try {
    train_run(*model, data, data, kNorm, sota_spec(1), Compute{}, {{}, dir.path() / "c.pt", {}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir.path() / "c.pt").string() + ": got "), std::string::npos) << e.what();
  }
  write_file_atomic(dir.path() / "c.pt", read_file(std::filesystem::path(BGM_TEST_DATA_DIR) / "torch" / "state_dict.pt"));
  EXPECT_THROW(load_checkpoint(dir.path() / "c.pt"), Error);
}

TEST(Checkpoint, ADivergedRunNamesEpochAndStepAndKeepsTheLastGoodState) {
  const auto data = test::synthetic_dataset(40, 10, 3);
  test::TempDir dir;
  auto model = fresh_model();
  auto spec = sota_spec(3);
  // Epoch 1 ends normally (checkpoint written); in epoch 2 the weights turn NaN after step 2.
  TrainHooks hooks;
  std::string good;
  hooks.after_step = [&](int epoch, int64_t step) {
    if (epoch == 2 && step == 2) {
      good = read_file(dir.path() / "c.pt");
      torch::NoGradGuard no_grad;
      model->parameters().front().fill_(std::numeric_limits<float>::quiet_NaN());
    }
  };
  try {
    train_run(*model, data, data, kNorm, spec, Compute{}, {{}, dir.path() / "c.pt", {}}, hooks);
    FAIL();
  } catch (const RunDiverged& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("run WSA"), std::string::npos) << m;
    EXPECT_NE(m.find("epoch 2 step 3 (step 8 of the run)"), std::string::npos) << m;
  }
  EXPECT_EQ(read_file(dir.path() / "c.pt"), good);
  EXPECT_EQ(load_checkpoint(dir.path() / "c.pt")->position.epochs_done, 1);
}

TEST(Checkpoint, WeightsTurnedNonFiniteByAnEpochsLastStepAreCaughtBeforeTheyAreSaved) {
  const auto data = test::synthetic_dataset(40, 10, 3);  // 5 steps of 8 per epoch
  test::TempDir dir;
  auto model = fresh_model();
  TrainHooks hooks;
  std::string good;
  hooks.after_step = [&](int epoch, int64_t step) {
    if (epoch == 2 && step == 5) {  // no later loss of the epoch would see it
      good = read_file(dir.path() / "c.pt");
      torch::NoGradGuard no_grad;
      model->parameters().back().fill_(std::numeric_limits<float>::infinity());
    }
  };
  try {
    train_run(*model, data, data, kNorm, sota_spec(3), Compute{}, {{}, dir.path() / "c.pt", {}}, hooks);
    FAIL();
  } catch (const RunDiverged& e) {
    EXPECT_NE(std::string(e.what()).find("run WSA: the weights became NaN or infinite at epoch 2 step 5 (step 10 of "
                                         "the run)"), std::string::npos) << e.what();
    EXPECT_EQ(e.epoch, 2);
    EXPECT_EQ(e.epoch_step, 5);
  }
  EXPECT_EQ(read_file(dir.path() / "c.pt"), good);  // epoch 1's state, not the broken one
}

}  // namespace bgm
