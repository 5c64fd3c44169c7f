#include "bgm/data/adversarial_set.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "bgm/core/random.h"

#include "test_util.h"

namespace bgm {
namespace {

// Algorithm 1 written out plainly, as a reference for the set bgm builds: copy j of image j / R
// with the first k picks of a fresh Fisher-Yates shuffle of the 3072 entries, drawn from copy
// j's own stream, zeroed; labels from one sequential stream.
Dataset algorithm1_by_hand(const Dataset& train, int replicas, int64_t k, uint64_t seed) {
  Dataset out;
  out.class_names = train.class_names;
  out.images = train.images.repeat_interleave(replicas, 0).contiguous();
  out.labels = torch::empty({train.size() * replicas}, torch::kInt64);
  Rng labels(seed, "algorithm1/labels");
  const uint64_t entries_stream = derive_seed(seed, "algorithm1/entries");
  for (int64_t j = 0; j < out.size(); ++j) {
    Rng rng(derive_seed(entries_stream, static_cast<uint64_t>(j)));
    std::vector<int64_t> entries(3072);
    std::iota(entries.begin(), entries.end(), 0);
    for (int64_t t = 0; t < k; ++t) std::swap(entries[t], entries[t + static_cast<int64_t>(rng.below(3072 - t))]);
    auto flat = out.images[j].view({-1});
    for (int64_t t = 0; t < k; ++t) flat[entries[t]] = 0;
    out.labels[j] = static_cast<int64_t>(labels.below(train.num_classes()));
  }
  return out;
}

}  // namespace

TEST(AdversarialSet, IsAlgorithm1WrittenOutByHand) {
  const auto train = test::synthetic_dataset(5, 10, 13);
  const auto expected = algorithm1_by_hand(train, 3, 307, 21);
  const auto stored = make_stored_adversarial_set(train, {3, 0.1, 21});
  const auto virtual_set = make_adversarial_set(train, {3, 0.1, 21});
  EXPECT_TRUE(stored.images.equal(expected.images));
  EXPECT_TRUE(stored.labels.equal(expected.labels));
  EXPECT_TRUE(virtual_set.stored().images.equal(expected.images));
  EXPECT_TRUE(virtual_set.labels.equal(expected.labels));
}

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
  EXPECT_THROW(virtual_set.gather(torch::tensor({400}, torch::kInt64)), c10::Error);
  EXPECT_THROW(virtual_set.gather(torch::tensor({-5}, torch::kInt64)), c10::Error);
  // A subset of it is stored like any other.
  const auto some = virtual_set.select({5, 399, 0});
  EXPECT_FALSE(some.recipe);
  EXPECT_TRUE(some.images[1].equal(stored.images[399]));
}

}  // namespace bgm
