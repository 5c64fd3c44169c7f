#include "bgm/data/image_encode.h"

#include <png.h>

#include <cstring>

#include "bgm/core/error.h"
#include "bgm/core/files.h"

namespace bgm {

std::string encode_png(const RgbImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3)
    throw Error("encode_png: " + std::to_string(image.pixels.size()) + " bytes for a " +
                std::to_string(image.width) + "x" + std::to_string(image.height) + " RGB image");
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  // The first call only sizes the output.
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), 0, nullptr))
    throw Error(std::string("encode_png: ") + png.message);
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&png, out.data(), &size, 0, image.pixels.data(), 0, nullptr))
    throw Error(std::string("encode_png: ") + png.message);
  out.resize(size);
  return out;
}

void write_png(const RgbImage& image, const std::filesystem::path& path) {
  write_file_atomic(path, encode_png(image));
}

}  // namespace bgm
