#include "bgm/core/error.h"
#include "bgm/data/image_decode.h"
#include "targets.h"

namespace bgm::fuzz {

int image_decode(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  uint8_t out[32 * 32 * 3];
  try {
    switch (data[0] % 3) {
      case 0: {
        const RgbImage image = decode_image(bytes, "fuzz.img");
        if (image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3)
          throw std::logic_error("pixels do not match the size");
        break;
      }
      case 1: decode_image_32(bytes, "fuzz.img", out); break;
      default: decode_image_resized_32(bytes, "fuzz.img", out);
    }
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace bgm::fuzz
