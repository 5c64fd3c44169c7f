#include "bgm/data/npy.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "test_util.h"

namespace bgm {

TEST(Npy, WritesNumPysFormatAndReadsItBack) {
  test::TempDir dir;
  auto images = torch::arange(2 * 32 * 32 * 3, torch::kInt64).remainder(256).to(torch::kUInt8).view({2, 32, 32, 3});
  auto labels = torch::tensor({3, -1, 9}, torch::kInt64);
  write_npy(dir.path() / "i.npy", images);
  write_npy(dir.path() / "l.npy", labels);
  const std::string bytes = read_file(dir.path() / "i.npy");
  // Format 1.0: magic, version, header length, then the header dict padded to 64 bytes.
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 32, 32, 3), }";
  EXPECT_EQ(bytes.substr(10, header.size()), header);
  EXPECT_EQ(bytes.size(), 128 + images.numel());  // 10 + 118-byte header = 128
  EXPECT_EQ(bytes[127], '\n');
  EXPECT_TRUE(read_npy(dir.path() / "i.npy").equal(images));
  const auto back = read_npy(dir.path() / "l.npy");
  EXPECT_EQ(back.scalar_type(), torch::kInt64);
  EXPECT_TRUE(back.equal(labels));
  EXPECT_NE(read_file(dir.path() / "l.npy").find("'shape': (3, )"), std::string::npos);
}

TEST(Npy, RefusesOtherTypesAndTruncatedFilesNamingTheFile) {
  test::TempDir dir;
  write_npy(dir.path() / "l.npy", torch::tensor({1, 2}, torch::kInt64));
  std::string bytes = read_file(dir.path() / "l.npy");
  write_file_atomic(dir.path() / "short.npy", bytes.substr(0, bytes.size() - 3));
  auto f4 = bytes;
  f4.replace(f4.find("<i8"), 3, "<f4");
  write_file_atomic(dir.path() / "f4.npy", f4);
  write_file_atomic(dir.path() / "text.npy", "hello");
  auto negative = bytes;
  negative.replace(negative.find("(2, )"), 5, "(-2, )");
  write_file_atomic(dir.path() / "negative.npy", negative);
  auto message = [](const std::filesystem::path& p) {
    try {
      read_npy(p);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(dir.path() / "short.npy").find("short.npy: got 141 bytes, expected 144"), std::string::npos)
      << message(dir.path() / "short.npy");
  EXPECT_NE(message(dir.path() / "f4.npy").find("got dtype '<f4', expected '|u1' (uint8) or '<i8' (int64)"),
            std::string::npos)
      << message(dir.path() / "f4.npy");
  EXPECT_NE(message(dir.path() / "text.npy").find("text.npy: got a file that does not start with the .npy magic"),
            std::string::npos);
  EXPECT_NE(message(dir.path() / "negative.npy").find("got shape (-2, ), expected a tuple of non-negative sizes"),
            std::string::npos)
      << message(dir.path() / "negative.npy");
  EXPECT_THROW(write_npy(dir.path() / "x.npy", torch::zeros({2})), Error);  // float32 is not written
}

}  // namespace bgm
