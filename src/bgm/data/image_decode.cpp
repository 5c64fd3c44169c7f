#include "bgm/data/image_decode.h"

// clang-format off
#include <cstdio>  // jpeglib.h needs FILE declared first
#include <jpeglib.h>
// clang-format on
#include <png.h>
#include <setjmp.h>
#include <torch/torch.h>

#include <cstring>
#include <memory>

#include "bgm/core/error.h"
#include "bgm/data/dataset.h"

namespace bgm {
namespace {

const char* const kExpected = "a valid JPEG or PNG image";

// Decoding allocates width x height x 3 bytes (a JPEG may need several times that), so a header
// claiming a gigantic image is refused before anything is allocated. 64 megapixels is several
// times the largest photos in ImageNet.
constexpr uint64_t kMaxPixels = uint64_t{64} << 20;

void check_pixel_count(uint64_t width, uint64_t height, const std::filesystem::path& path) {
  if (width * height > kMaxPixels)
    throw input_error(path.string(), "a " + std::to_string(width) + "x" + std::to_string(height) + " image",
                      "at most 64 megapixels");
}

// libjpeg reports errors through a callback that must not return; longjmp back to the caller.
struct JpegErrorManager {
  jpeg_error_mgr base;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr info) {
  auto* err = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, err->message);
  longjmp(err->jump, 1);
}

// libjpeg only warns (level -1) on truncated or corrupt data and fills the rest of the image
// with grey; a training image like that is bad input, so a warning is an error here.
void jpeg_emit_message(j_common_ptr info, int level) {
  if (level < 0) jpeg_error_exit(info);
}

// The largest DCT reduction 1/2^k (k <= 3) that keeps both sides >= min_side.
unsigned jpeg_scale_denominator(unsigned width, unsigned height, int min_side) {
  unsigned denom = 1;
  if (min_side <= 0) return denom;
  while (denom < 8 && width / (denom * 2) >= static_cast<unsigned>(min_side) &&
         height / (denom * 2) >= static_cast<unsigned>(min_side))
    denom *= 2;
  return denom;
}

RgbImage decode_jpeg(const std::string& bytes, const std::filesystem::path& path, int min_side) {
  // Allocated before setjmp and only reached through the pointer, so a longjmp leaves it intact.
  auto image = std::make_unique<RgbImage>();
  jpeg_decompress_struct info;
  JpegErrorManager err;
  info.err = jpeg_std_error(&err.base);
  err.base.error_exit = jpeg_error_exit;
  err.base.emit_message = jpeg_emit_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&info);
    throw input_error(path.string(), std::string("an undecodable JPEG (") + err.message + ")", kExpected);
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  jpeg_read_header(&info, TRUE);
  if (info.image_width * static_cast<uint64_t>(info.image_height) > kMaxPixels) {
    jpeg_destroy_decompress(&info);
    check_pixel_count(info.image_width, info.image_height, path);
  }
  info.out_color_space = JCS_RGB;
  info.scale_num = 1;
  info.scale_denom = jpeg_scale_denominator(info.image_width, info.image_height, min_side);
  jpeg_start_decompress(&info);
  image->width = static_cast<int>(info.output_width);
  image->height = static_cast<int>(info.output_height);
  image->pixels.resize(static_cast<size_t>(image->width) * image->height * kImageChannels);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = image->pixels.data() + static_cast<size_t>(info.output_scanline) * image->width * kImageChannels;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return std::move(*image);
}

RgbImage decode_png(const std::string& bytes, const std::filesystem::path& path) {
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
    throw input_error(path.string(), std::string("an undecodable PNG (") + png.message + ")", kExpected);
  // 16-bit PNGs are linear light to libpng's simplified API: reading them as 8-bit would apply
  // an sRGB curve and change every value, so they are refused rather than silently altered.
  // Grayscale and palette images are expanded to RGB exactly.
  if (png.format & PNG_FORMAT_FLAG_LINEAR) {
    png_image_free(&png);
    throw input_error(path.string(), "a 16-bit PNG", "8 bits per channel (convert it, e.g. with ImageMagick -depth 8)");
  }
  if (png.width * static_cast<uint64_t>(png.height) > kMaxPixels) {
    png_image_free(&png);
    check_pixel_count(png.width, png.height, path);
  }
  RgbImage image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  png.format = PNG_FORMAT_RGB;
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr)) {
    std::string msg = png.message;
    png_image_free(&png);
    throw input_error(path.string(), "an undecodable PNG (" + msg + ")", kExpected);
  }
  return image;
}

}  // namespace

RgbImage decode_image(const std::string& bytes, const std::filesystem::path& path, int min_side) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return decode_jpeg(bytes, path, min_side);
  if (bytes.size() >= 8 && png_sig_cmp(b, 0, 8) == 0) return decode_png(bytes, path);
  throw input_error(path.string(), "a file of " + std::to_string(bytes.size()) + " bytes that is neither JPEG nor PNG",
                    "a JPEG or PNG image");
}

void decode_image_32(const std::string& bytes, const std::filesystem::path& path, uint8_t* out) {
  const RgbImage image = decode_image(bytes, path);
  if (image.width != kImageSide || image.height != kImageSide)
    throw input_error(path.string(),
                      "a " + std::to_string(image.width) + "x" + std::to_string(image.height) + " image",
                      "32x32 pixels");
  std::memcpy(out, image.pixels.data(), kImageEntries);
}

void decode_image_resized_32(const std::string& bytes, const std::filesystem::path& path, uint8_t* out) {
  RgbImage image = decode_image(bytes, path, static_cast<int>(kImageSide));
  auto hwc = torch::from_blob(image.pixels.data(), {image.height, image.width, kImageChannels}, torch::kUInt8);
  auto chw = hwc.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32);
  // Adaptive average pooling is exact area averaging when shrinking.
  auto small = torch::adaptive_avg_pool2d(chw, {kImageSide, kImageSide});
  auto pixels = small.round().clamp(0, 255).to(torch::kUInt8).squeeze(0).permute({1, 2, 0}).contiguous();
  std::memcpy(out, pixels.data_ptr<uint8_t>(), kImageEntries);
}

}  // namespace bgm
