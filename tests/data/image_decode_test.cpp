#include "bgm/data/image_decode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include <zlib.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/load.h"
#include "test_util.h"

namespace bgm {
using test::encode_png;

TEST(ImageDecode, PngBytesComeBackExactly) {
  std::vector<uint8_t> rgb(3072);
  for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<uint8_t>(i * 7 % 256);
  std::vector<uint8_t> out(3072);
  decode_image_32(encode_png(rgb, 32, 32), "x.png", out.data());
  EXPECT_EQ(out, rgb);
}

TEST(ImageDecode, RealCifarJpegDecodesToPlausiblePixels) {
  // The first airplane of the embedded set: a 32x32 RGB JPEG.
  auto path = default_data_dir() / "train" / "airplane" / "0000.jpg";
  std::vector<uint8_t> out(3072, 0);
  decode_image_32(read_file(path), path, out.data());
  double mean = 0;
  for (auto v : out) mean += v;
  mean /= 3072;
  EXPECT_GT(mean, 20);
  EXPECT_LT(mean, 235);
}

TEST(ImageDecode, ResizingAveragesAreasAndKeeps32x32Unchanged) {
  // 64x64 in 2x2 blocks of two rows, 0 and 100: every output pixel is their mean, 50.
  std::vector<uint8_t> rgb(64 * 64 * 3);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64 * 3; ++x) rgb[y * 64 * 3 + x] = y % 2 ? 100 : 0;
  std::vector<uint8_t> out(3072);
  decode_image_resized_32(encode_png(rgb, 64, 64), "big.png", out.data());
  EXPECT_EQ(std::count(out.begin(), out.end(), 50), 3072);
  // A real 32x32 JPEG comes back exactly as decode_image_32 gives it.
  auto path = default_data_dir() / "train" / "cat" / "0007.jpg";
  std::vector<uint8_t> direct(3072), resized(3072);
  decode_image_32(read_file(path), path, direct.data());
  decode_image_resized_32(read_file(path), path, resized.data());
  EXPECT_EQ(direct, resized);
}

TEST(ImageDecode, RejectsARealJpegCutInHalf) {
  // libjpeg only warns on a premature end and fills in grey; bgm must refuse the file.
  auto path = default_data_dir() / "train" / "airplane" / "0000.jpg";
  const auto bytes = read_file(path);
  std::vector<uint8_t> out(3072);
  try {
    decode_image_32(bytes.substr(0, bytes.size() / 2), "half.jpg", out.data());
    FAIL() << "a truncated JPEG was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("half.jpg: got an undecodable JPEG"), std::string::npos) << e.what();
  }
}

TEST(ImageDecode, RejectsGarbageAndWrongSizes) {
  std::vector<uint8_t> out(3072);
  try {
    decode_image_32("not an image at all", "bad.jpg", out.data());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.jpg"), std::string::npos);
  }
  std::string truncated_jpeg = "\xFF\xD8\xFF\xE0garbage";
  EXPECT_THROW(decode_image_32(truncated_jpeg, "t.jpg", out.data()), Error);
  std::vector<uint8_t> big(64 * 64 * 3, 5);
  try {
    decode_image_32(encode_png(big, 64, 64), "big.png", out.data());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("64x64"), std::string::npos) << e.what();
  }
}

TEST(ImageDecode, RefusesAHeaderClaimingAGiganticImageBeforeAllocatingIt) {
  // A 4x4 PNG whose header claims 10000x10000 (100 megapixels, 300 MB to decode).
  std::string png = encode_png(std::vector<uint8_t>(4 * 4 * 3, 7), 4, 4);
  for (int k : {16, 20}) {  // IHDR width and height, big-endian
    png[k] = 0, png[k + 1] = 0, png[k + 2] = static_cast<char>(10000 >> 8), png[k + 3] = static_cast<char>(10000 & 255);
  }
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17);  // "IHDR" + 13 bytes
  for (int i = 0; i < 4; ++i) png[29 + i] = static_cast<char>((crc >> (24 - 8 * i)) & 255);
  // A real JPEG whose frame header (SOF0) is patched the same way.
  std::string jpeg = read_file(default_data_dir() / "train" / "airplane" / "0000.jpg");
  const size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  for (size_t k : {sof + 5, sof + 7}) jpeg[k] = static_cast<char>(10000 >> 8), jpeg[k + 1] = static_cast<char>(10000 & 255);
  for (const auto& [bytes, name] : {std::pair{png, "huge.png"}, std::pair{jpeg, "huge.jpg"}}) {
    try {
      decode_image(bytes, name);
      FAIL() << name;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(std::string(name) + ": got a 10000x10000 image, expected at most 64 megapixels"),
                std::string::npos) << e.what();
    }
  }
}

}  // namespace bgm
