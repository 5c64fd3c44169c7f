#include "bgm/data/image_decode.h"

#include <gtest/gtest.h>
#include <png.h>

#include <cstring>
#include <vector>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/load.h"

namespace bgm {
namespace {

std::string encode_png(const std::vector<uint8_t>& rgb, int w, int h) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  image.width = w;
  image.height = h;
  image.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  png_image_write_to_memory(&image, nullptr, &size, 0, rgb.data(), 0, nullptr);
  std::string out(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&image, out.data(), &size, 0, rgb.data(), 0, nullptr));
  out.resize(size);
  return out;
}

}  // namespace

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

}  // namespace bgm
