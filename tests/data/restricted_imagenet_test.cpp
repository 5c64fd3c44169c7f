#include "bgm/data/restricted_imagenet.h"

#include <gtest/gtest.h>

#include <fmt/core.h>

#include "bgm/core/files.h"
#include "bgm/data/load.h"
#include "test_util.h"

namespace bgm {

TEST(RestrictedImageNet, MapsClassIndexRangesToTheNineSuperClasses) {
  const auto& names = restricted_imagenet_classes();
  ASSERT_EQ(names.size(), 9u);
  auto name_of = [&](int index) {
    const int c = restricted_imagenet_class(index);
    return c < 0 ? std::string("dropped") : names[c];
  };
  EXPECT_EQ(name_of(150), "dropped");
  EXPECT_EQ(name_of(151), "dog");
  EXPECT_EQ(name_of(268), "dog");
  EXPECT_EQ(name_of(269), "dropped");
  EXPECT_EQ(name_of(281), "cat");
  EXPECT_EQ(name_of(389), "fish");
  EXPECT_EQ(name_of(999), "dropped");
  EXPECT_EQ(name_of(30), "frog");
  EXPECT_EQ(name_of(319), "insect");
  int kept = 0;
  for (int i = 0; i < 1000; ++i) kept += restricted_imagenet_class(i) >= 0;
  EXPECT_EQ(kept, 118 + 5 + 3 + 5 + 21 + 18 + 9 + 4 + 20);
}

TEST(RestrictedImageNet, ResizesOnceThenReadsTheCache) {
  test::TempDir dir;
  const auto root = dir.path() / "imagenet";
  for (int i = 0; i < 1000; ++i) {
    std::filesystem::create_directories(root / "train" / fmt::format("n{:08d}", i));
    std::filesystem::create_directories(root / "val" / fmt::format("n{:08d}", i));
  }
  // A 64x48 image in a dog class, one in a cat class and one in a dropped class.
  auto image = [](uint8_t value) { return test::encode_png(std::vector<uint8_t>(64 * 48 * 3, value), 64, 48); };
  write_file_atomic(root / "train" / "n00000151" / "a.png", image(10));
  write_file_atomic(root / "train" / "n00000281" / "b.png", image(20));
  write_file_atomic(root / "train" / "n00000150" / "c.png", image(30));
  write_file_atomic(root / "val" / "n00000389" / "d.png", image(40));
  ASSERT_TRUE(is_imagenet_tree(root));

  const auto cache = dir.path() / "cache";
  const auto first = load_restricted_imagenet(root, cache);
  EXPECT_EQ(first.name, "restricted_imagenet");
  ASSERT_EQ(first.train.size(), 2);
  EXPECT_EQ(first.train.labels[0].item<int64_t>(), 0);  // dog
  EXPECT_EQ(first.train.labels[1].item<int64_t>(), 1);  // cat
  EXPECT_EQ(first.train.images.sizes(), torch::IntArrayRef({2, 32, 32, 3}));
  EXPECT_TRUE(first.train.images[1].eq(20).all().item<bool>());
  ASSERT_EQ(first.test.size(), 1);
  EXPECT_EQ(first.test.labels[0].item<int64_t>(), 6);  // fish

  // The second load reads the cache: it works even with the source images gone.
  std::filesystem::remove(root / "train" / "n00000151" / "a.png");
  const auto second = load_restricted_imagenet(root, cache);
  EXPECT_TRUE(second.train.images.equal(first.train.images));
  EXPECT_TRUE(second.train.labels.equal(first.train.labels));
  EXPECT_EQ(second.train.class_names, restricted_imagenet_classes());
}

}  // namespace bgm
