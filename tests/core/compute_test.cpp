#include "bgm/core/compute.h"

#include <gtest/gtest.h>

#include "bgm/core/random.h"
#include "bgm/data/dataset.h"
#include "bgm/models/model_zoo.h"
#include "bgm/train/train_step.h"

namespace bgm {

// Channels-last crashes oneDNN's conv backward on AVX2 for convs narrower than 8 channels, so
// such models must fall back to NCHW; wider ones keep the faster layout.
TEST(Compute, ChannelsLastOnlyForModelsWithConvsOfAtLeastEightChannels) {
  Compute requested;
  requested.channels_last = true;
  for (int64_t width : {2, 4, 6}) {
    auto model = make_model({"resnet18", 10, width});
    EXPECT_FALSE(channels_last_safe(*model, torch::kCPU)) << width;
    EXPECT_FALSE(compute_for(*model, requested).channels_last) << width;
  }
  for (int64_t width : {8, 16}) {
    auto model = make_model({"resnet18", 10, width});
    EXPECT_TRUE(channels_last_safe(*model, torch::kCPU)) << width;
    EXPECT_TRUE(compute_for(*model, requested).channels_last) << width;
  }
  Compute nchw;
  nchw.channels_last = false;
  EXPECT_FALSE(compute_for(*make_model({"resnet18", 10, 16}), nchw).channels_last);  // never forced on
}

// On a GPU: the trainer's own step in CUDA autocast (bf16) with channels-last, weights kept fp32.
TEST(Compute, ATrainingStepRunsOnCudaInBf16ChannelsLast) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device (this LibTorch: CPU-only or no GPU)";
  Compute compute;
  compute.device = torch::Device(torch::kCUDA, 0);
  compute.precision = Precision::kBf16;
  auto model = make_model({"resnet18", 10, 16});
  place_model(*model, compute);
  Dataset set;
  set.images = torch::randint(0, 256, {128, 32, 32, 3}, torch::kUInt8);
  set.labels = torch::randint(0, 10, {128}, torch::kInt64);
  SgdSettings sgd;
  auto opt = make_sgd(*model, sgd);
  Rng rng(0, "test");
  std::vector<int64_t> batch(128);
  for (int64_t i = 0; i < 128; ++i) batch[static_cast<size_t>(i)] = i;
  const Normalization norm{{0.5f, 0.5f, 0.5f}, {0.25f, 0.25f, 0.25f}, "test"};
  const auto step = sgd_step(*model, opt, set, batch, norm, sgd, rng, compute);
  EXPECT_TRUE(std::isfinite(step.loss.item<float>()));
  for (const auto& p : model->parameters()) {
    EXPECT_TRUE(p.is_cuda());
    EXPECT_EQ(p.scalar_type(), torch::kFloat32);
  }
}

}  // namespace bgm
