#include "bgm/core/compute.h"

#include <gtest/gtest.h>

#include "bgm/models/model_zoo.h"

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

}  // namespace bgm
