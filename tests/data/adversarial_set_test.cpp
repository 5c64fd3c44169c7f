#include "bgm/data/adversarial_set.h"

#include <gtest/gtest.h>

#include "bgm/core/random.h"

#include "test_util.h"

namespace bgm {

TEST(AdversarialSet, ZeroesExactly307EntriesPerCopyAtTenPercent) {
  EXPECT_EQ(zeroed_entries(0.1), 307);
  EXPECT_EQ(zeroed_entries(0.25), 768);
  EXPECT_EQ(zeroed_entries(0.0), 0);
  EXPECT_EQ(zeroed_entries(1.0), 3072);

  const auto train = test::synthetic_dataset(6, 10, 1);  // no pixel is 0 to begin with
  const int R = 3;
  const auto set = make_adversarial_set(train, {R, 0.1, 42}).stored();
  ASSERT_EQ(set.size(), 6 * R);
  ASSERT_EQ(set.images.sizes(), torch::IntArrayRef({6 * R, 32, 32, 3}));
  for (int64_t i = 0; i < 6; ++i) {
    for (int r = 0; r < R; ++r) {
      auto copy = set.images[i * R + r];
      auto zero = copy.eq(0);
      EXPECT_EQ(zero.sum().item<int64_t>(), 307) << "image " << i << " copy " << r;
      // Every entry not zeroed is the original pixel.
      EXPECT_TRUE(copy.masked_select(zero.logical_not()).equal(train.images[i].masked_select(zero.logical_not())));
    }
  }
}

TEST(AdversarialSet, LabelsAreInRangeAndUseEveryClass) {
  const auto train = test::synthetic_dataset(200, 10, 2);
  const auto set = make_adversarial_set(train, {5, 0.1, 3});
  ASSERT_EQ(set.size(), 1000);
  EXPECT_GE(set.labels.min().item<int64_t>(), 0);
  EXPECT_LE(set.labels.max().item<int64_t>(), 9);
  EXPECT_EQ(std::get<0>(torch::_unique(set.labels)).numel(), 10);
  // Random, not copied from the true labels: about 1 in 10 agree.
  auto agree = set.labels.eq(train.labels.repeat_interleave(5)).sum().item<int64_t>();
  EXPECT_LT(agree, 200);
}

TEST(AdversarialSet, SameSeedSameSetOtherSeedOtherSet) {
  const auto train = test::synthetic_dataset(10, 10, 4);
  const auto a = make_adversarial_set(train, {2, 0.1, 5}).stored();
  const auto b = make_adversarial_set(train, {2, 0.1, 5}).stored();
  const auto c = make_adversarial_set(train, {2, 0.1, 6}).stored();
  EXPECT_TRUE(a.images.equal(b.images));
  EXPECT_TRUE(a.labels.equal(b.labels));
  EXPECT_FALSE(a.images.equal(c.images));
  EXPECT_FALSE(a.labels.equal(c.labels));
}

TEST(AdversarialSet, CopiesOfOneImageDifferFromEachOther) {
  const auto train = test::synthetic_dataset(1, 10, 7);
  const auto set = make_adversarial_set(train, {2, 0.1, 8});
  EXPECT_FALSE(set.slice(0, 1).equal(set.slice(1, 1)));
}

TEST(AdversarialSet, VirtualSetHoldsTheTrainingImagesOnlyAndEqualsTheStoredSet) {
  const auto train = test::synthetic_dataset(40, 10, 9);
  const AdversarialSetOptions options{10, 0.1, 11};
  const auto virtual_set = make_adversarial_set(train, options);
  const auto stored = make_stored_adversarial_set(train, options);
  // Memory: the N training images themselves (not a copy) and N * R labels.
  ASSERT_EQ(virtual_set.size(), 400);
  EXPECT_EQ(virtual_set.images.size(0), 40);
  EXPECT_EQ(virtual_set.images.data_ptr(), train.images.data_ptr());
  ASSERT_EQ(stored.images.size(0), 400);
  EXPECT_TRUE(virtual_set.labels.equal(stored.labels));
  // Any copy, drawn in any order or in slices, is the stored copy.
  Rng rng(3);
  const auto order = torch::tensor(rng.permutation(400), torch::kInt64);
  EXPECT_TRUE(virtual_set.gather(order).equal(stored.images.index_select(0, order)));
  EXPECT_TRUE(virtual_set.slice(123, 77).equal(stored.images.narrow(0, 123, 77)));
  EXPECT_TRUE(virtual_set.stored().images.equal(stored.images));
  EXPECT_EQ(virtual_set.content_hash(), make_adversarial_set(train, options).content_hash());
  EXPECT_NE(virtual_set.content_hash(), make_adversarial_set(train, {10, 0.1, 12}).content_hash());
  // A subset of it is stored like any other.
  const auto some = virtual_set.select({5, 399, 0});
  EXPECT_FALSE(some.recipe);
  EXPECT_TRUE(some.images[1].equal(stored.images[399]));
}

}  // namespace bgm
