#include "bgm/train/heuristics.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"

namespace bgm {

TEST(Heuristics, TheEightModesOfTable2) {
  struct Want {
    const char* mode;
    bool augment;
    double weight_decay, momentum;
  };
  const Want want[] = {{"vanilla", false, 0, 0},       {"da", true, 0, 0},
                       {"l2", false, 5e-4, 0},         {"momentum", false, 0, 0.9},
                       {"da+l2", true, 5e-4, 0},       {"da+momentum", true, 0, 0.9},
                       {"l2+momentum", false, 5e-4, 0.9}, {"sota", true, 5e-4, 0.9}};
  ASSERT_EQ(mode_names().size(), 8u);
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(mode_names()[i], want[i].mode);
    const auto s = sgd_for_mode(want[i].mode, cifar_schedule(), 5e-4);
    EXPECT_EQ(s.augment, want[i].augment) << want[i].mode;
    EXPECT_DOUBLE_EQ(s.weight_decay, want[i].weight_decay) << want[i].mode;
    EXPECT_DOUBLE_EQ(s.momentum, want[i].momentum) << want[i].mode;
    EXPECT_DOUBLE_EQ(s.schedule.lr_at(151), 0.01) << want[i].mode;
    EXPECT_EQ(s.batch_size, 128);
  }
  // CINIC-10's weight decay passes through unchanged.
  EXPECT_DOUBLE_EQ(sgd_for_mode("l2", cifar_schedule(), 1e-4).weight_decay, 1e-4);
}

TEST(Heuristics, UnknownModeNamesTheOptionAndTheChoices) {
  try {
    sgd_for_mode("adam", cifar_schedule(), 5e-4, "--modes");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--modes: got 'adam', expected one of: vanilla, da, l2, momentum, da+l2, "
                           "da+momentum, l2+momentum, sota");
  }
}

}  // namespace bgm
