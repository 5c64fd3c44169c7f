#include "bgm/measure/seed_stats.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"

namespace bgm {
namespace {

TEST(SeedStats, MinMaxMeanAndSampleStd) {
  const SeedStats s = seed_stats({84.0, 85.0, 86.0, 85.0, 85.0});
  EXPECT_DOUBLE_EQ(s.mean, 85.0);
  EXPECT_DOUBLE_EQ(s.min, 84.0);
  EXPECT_DOUBLE_EQ(s.max, 86.0);
  EXPECT_NEAR(s.std, std::sqrt(2.0 / 4.0), 1e-12);  // sum of squares 2 over n - 1 = 4
  EXPECT_DOUBLE_EQ(seed_stats({3.5}).std, 0.0);
  EXPECT_EQ(to_json(s)["n"], 5);
  EXPECT_THROW(seed_stats({}), Error);
}

}  // namespace
}  // namespace bgm
