#include "bgm/core/random.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace bgm {

TEST(Random, SameSeedAndStreamGiveSameNumbers) {
  Rng a(7, "order"), b(7, "order"), c(7, "augment"), d(8, "order");
  const auto x = a.next();
  EXPECT_EQ(x, b.next());
  EXPECT_NE(x, c.next());
  EXPECT_NE(x, d.next());
}

TEST(Random, BelowStaysInRangeAndCoversIt) {
  Rng rng(1);
  std::vector<int> seen(9, 0);
  for (int i = 0; i < 9000; ++i) ++seen[rng.below(9)];
  for (int count : seen) EXPECT_GT(count, 850);  // expectation 1000 each
}

TEST(Random, PermutationIsAPermutation) {
  Rng rng(3);
  auto p = rng.permutation(100);
  std::sort(p.begin(), p.end());
  for (int64_t i = 0; i < 100; ++i) EXPECT_EQ(p[i], i);
}

}  // namespace bgm
