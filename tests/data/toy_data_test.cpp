#include "bgm/data/toy_data.h"

#include <gtest/gtest.h>

namespace bgm {
namespace {

TEST(ToyData, TwoClassesOfFiftyPointsAroundTheReferenceMeans) {
  const ToyData d = make_toy_data(50, 0);
  ASSERT_EQ(d.points.sizes().vec(), (std::vector<int64_t>{100, 2}));
  EXPECT_EQ(d.labels.eq(0).sum().item<int64_t>(), 50);
  EXPECT_EQ(d.labels.eq(1).sum().item<int64_t>(), 50);
  // 0.1 * N(2, 1.5^2) shifted by -/+0.65: means (-0.45, 0.2) and (0.85, 0.2), spread 0.15.
  auto c0 = d.points.slice(0, 0, 50), c1 = d.points.slice(0, 50, 100);
  EXPECT_NEAR(c0.select(1, 0).mean().item<double>(), -0.45, 0.06);
  EXPECT_NEAR(c1.select(1, 0).mean().item<double>(), 0.85, 0.06);
  EXPECT_NEAR(c1.select(1, 1).mean().item<double>(), 0.2, 0.06);
  EXPECT_NEAR(c0.select(1, 1).std().item<double>(), 0.15, 0.05);
  EXPECT_TRUE(torch::equal(d.points, make_toy_data(50, 0).points));  // seeded
  EXPECT_FALSE(torch::equal(d.points, make_toy_data(50, 1).points));
}

TEST(ToyData, RandomLabelsAndNoisyCopies) {
  const ToyData d = make_toy_data(50, 0);
  const ToyData r = with_random_labels(d, 0);
  EXPECT_TRUE(torch::equal(r.points, d.points));
  EXPECT_TRUE(r.labels.eq(0).logical_or(r.labels.eq(1)).all().item<bool>());
  EXPECT_GT(r.labels.ne(d.labels).sum().item<int64_t>(), 25);  // about half flipped
  const ToyData a = with_noisy_copies(d, 2, 0.05, 0);
  ASSERT_EQ(a.points.size(0), 300);
  EXPECT_TRUE(torch::equal(a.points[3], d.points[1]));  // each point first, then its copies
  EXPECT_EQ(a.labels[4].item<float>(), d.labels[1].item<float>());
  const double moved = (a.points[4] - d.points[1]).norm().item<double>();
  EXPECT_GT(moved, 0.0);
  EXPECT_LT(moved, 0.4);
}

}  // namespace
}  // namespace bgm
