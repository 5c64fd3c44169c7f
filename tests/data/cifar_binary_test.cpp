#include "bgm/data/cifar_binary.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/load.h"
#include "test_util.h"

namespace bgm {
namespace {

// One CIFAR record by hand: label bytes, then 1024 R, 1024 G, 1024 B values.
std::string record(std::initializer_list<uint8_t> labels, uint8_t r, uint8_t g, uint8_t b) {
  std::string rec(labels.begin(), labels.end());
  rec += std::string(1024, static_cast<char>(r)) + std::string(1024, static_cast<char>(g)) +
         std::string(1024, static_cast<char>(b));
  return rec;
}

}  // namespace

TEST(CifarBinary, PlanarRecordDecodesToChannelMeans) {
  const auto ds = parse_cifar_records(record({3}, 255, 0, 128) + record({9}, 255, 0, 128),
                                      CifarKind::kCifar10, "test.bin");
  ASSERT_EQ(ds.size(), 2);
  EXPECT_EQ(ds.labels[0].item<int64_t>(), 3);
  EXPECT_EQ(ds.labels[1].item<int64_t>(), 9);
  auto means = ds.images.to(torch::kFloat64).div(255).mean({0, 1, 2});
  EXPECT_DOUBLE_EQ(means[0].item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(means[1].item<double>(), 0.0);
  EXPECT_DOUBLE_EQ(means[2].item<double>(), 128.0 / 255.0);
  // HWC: pixel (0, 0) holds R, G, B side by side.
  EXPECT_EQ(ds.images[0][0][0][0].item<uint8_t>(), 255);
  EXPECT_EQ(ds.images[0][0][0][2].item<uint8_t>(), 128);
}

TEST(CifarBinary, PlaneOrderMapsToPixelPositions) {
  std::string rec(1, '\0');
  rec += std::string(3072, '\0');
  rec[1 + 33] = 7;                // red plane, row 1, column 1
  rec[1 + 2048 + 31] = 9;         // blue plane, row 0, column 31
  const auto ds = parse_cifar_records(rec, CifarKind::kCifar10, "t.bin");
  EXPECT_EQ(ds.images[0][1][1][0].item<uint8_t>(), 7);
  EXPECT_EQ(ds.images[0][0][31][2].item<uint8_t>(), 9);
}

TEST(CifarBinary, Cifar100UsesTheFineLabel) {
  const auto ds = parse_cifar_records(record({3, 42}, 1, 2, 3), CifarKind::kCifar100, "train.bin");
  ASSERT_EQ(ds.size(), 1);
  EXPECT_EQ(ds.labels[0].item<int64_t>(), 42);  // the fine label, not the coarse 3
  // The pixels start after both label bytes: every pixel is (1, 2, 3).
  for (int c = 0; c < 3; ++c) EXPECT_TRUE(ds.images.select(3, c).eq(c + 1).all().item<bool>()) << c;
  EXPECT_EQ(parse_cifar_records(record({19, 99}, 1, 2, 3), CifarKind::kCifar100, "t.bin").labels[0].item<int64_t>(), 99);
  EXPECT_THROW(parse_cifar_records(record({20, 5}, 0, 0, 0), CifarKind::kCifar100, "t.bin"), Error);  // coarse 0..19
}

TEST(CifarBinary, RejectsTruncatedFilesAndBadLabels) {
  try {
    parse_cifar_records(record({1}, 0, 0, 0) + "xx", CifarKind::kCifar10, "data_batch_1.bin");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data_batch_1.bin: got 3075 bytes"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("3073-byte record"), std::string::npos);
  }
  try {
    parse_cifar_records(record({10}, 0, 0, 0), CifarKind::kCifar10, "data_batch_2.bin");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("label byte 10"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_cifar_records(record({0, 100}, 0, 0, 0), CifarKind::kCifar100, "t.bin"), Error);
  EXPECT_THROW(parse_cifar_records("", CifarKind::kCifar10, "t.bin"), Error);
}

TEST(CifarBinary, LoadsADirectoryOfOfficialFiles) {
  test::TempDir dir;
  std::string batch = record({1}, 10, 20, 30) + record({2}, 40, 50, 60);
  for (int i = 1; i <= 5; ++i) write_file_atomic(dir.path() / ("data_batch_" + std::to_string(i) + ".bin"), batch);
  write_file_atomic(dir.path() / "test_batch.bin", record({4}, 1, 1, 1));
  const auto data = load_data(dir.path());
  EXPECT_EQ(data.name, "cifar10");
  EXPECT_EQ(data.train.size(), 10);
  EXPECT_EQ(data.test.size(), 1);
  EXPECT_EQ(data.train.num_classes(), 10);
  EXPECT_FLOAT_EQ(data.normalization.mean[0], 0.4914f);
}

}  // namespace bgm
