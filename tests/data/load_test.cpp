#include "bgm/data/load.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "test_util.h"

namespace bgm {

TEST(Load, EmbeddedSubsetIsBalancedRealCifar10) {
  const auto data = load_data(default_data_dir());
  EXPECT_EQ(data.name, "cifar10");
  EXPECT_EQ(data.train.size(), 5000);
  EXPECT_EQ(data.test.size(), 2000);
  EXPECT_EQ(data.train.class_names.front(), "airplane");
  EXPECT_EQ(data.train.class_names.back(), "truck");
  EXPECT_EQ(torch::bincount(data.train.labels).min().item<int64_t>(), 500);
  EXPECT_EQ(torch::bincount(data.test.labels).max().item<int64_t>(), 200);
  EXPECT_FLOAT_EQ(data.normalization.std[2], 0.2010f);
}

TEST(Load, BalancedSubsetIsSeededAndBalanced) {
  const auto ds = test::synthetic_dataset(100, 10, 3);
  const auto a = balanced_subset(ds, 23, 1, "--train-subset");
  const auto b = balanced_subset(ds, 23, 1, "--train-subset");
  const auto c = balanced_subset(ds, 23, 2, "--train-subset");
  ASSERT_EQ(a.size(), 23);
  auto counts = torch::bincount(a.labels);
  EXPECT_EQ(counts[0].item<int64_t>(), 3);  // the remainder goes to the first classes
  EXPECT_EQ(counts[9].item<int64_t>(), 2);
  EXPECT_TRUE(a.images.equal(b.images));
  EXPECT_FALSE(a.images.equal(c.images));
  EXPECT_THROW(balanced_subset(ds, 101, 1, "--train-subset"), Error);  // more than there are
  auto skewed = ds;
  skewed.labels = torch::zeros_like(ds.labels);  // every image in class 0
  EXPECT_THROW(balanced_subset(skewed, 20, 1, "--train-subset"), Error);  // 2 per class needed
  EXPECT_EQ(balanced_subset(ds, 0, 1, "--train-subset").size(), 100);
}

TEST(Load, Cinic10IsRecognisedByItsValidSplit) {
  test::TempDir dir;
  const std::vector<std::string> classes = {"airplane", "automobile", "bird",  "cat",  "deer",
                                            "dog",      "frog",       "horse", "ship", "truck"};
  for (const char* split : {"train", "valid", "test"})
    for (size_t c = 0; c < classes.size(); ++c)
      write_file_atomic(dir.path() / split / classes[c] / "0.png",
                        test::encode_png(std::vector<uint8_t>(3072, static_cast<uint8_t>(10 * c)), 32, 32));
  const auto data = load_data(dir.path());
  EXPECT_EQ(data.name, "cinic10");
  EXPECT_EQ(data.train.size(), 10);
  EXPECT_EQ(data.test.size(), 10);  // valid/ is not used, as in the paper
  EXPECT_EQ(data.train.labels[3].item<int64_t>(), 3);  // cat: CIFAR-10's order
  EXPECT_EQ(data.normalization.source, "computed from the training split");
  EXPECT_NEAR(data.normalization.mean[0], 45.0 / 255.0, 1e-6);
}

TEST(Load, BadDirectoriesNameThePath) {
  test::TempDir dir;
  auto expect_error = [](const std::filesystem::path& p, const std::string& part,
                         const std::filesystem::path& named = {}) {
    try {
      load_data(p);
      FAIL() << p;
    } catch (const Error& e) {
      const auto name = named.empty() ? p.string() : named.string();
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  expect_error(dir.path() / "missing", "missing");
  expect_error(dir.path(), "empty");
  write_file_atomic(dir.path() / "notes.txt", "x");
  expect_error(dir.path(), "neither layout");
  std::filesystem::create_directories(dir.path() / "train" / "cat");
  std::filesystem::create_directories(dir.path() / "test" / "cat");
  write_file_atomic(dir.path() / "train" / "cat" / "0.png", "garbage");
  expect_error(dir.path(), "neither JPEG nor PNG", dir.path() / "train" / "cat" / "0.png");
}

}  // namespace bgm
