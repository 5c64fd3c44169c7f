#pragma once
// Decodes one JPEG or PNG file (chosen by its bytes, not its name) into RGB uint8 pixels: at
// 32x32 exactly (CIFAR-like sets), or at any size and then reduced to 32x32 (ImageNet).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bgm {

/// An decoded image, HWC RGB.
struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  ///< height * width * 3 bytes
};

/// Decodes `bytes` (the contents of `path`, named in errors). Grayscale is expanded to RGB.
/// min_side > 0 lets a JPEG decode at a reduced DCT scale as long as both sides stay at least
/// min_side (much faster for large photos). Throws bgm::Error for bytes that are not a
/// decodable JPEG/PNG, truncated or corrupt data included.
RgbImage decode_image(const std::string& bytes, const std::filesystem::path& path, int min_side = 0);

/// Decodes into `out` (3072 bytes, HWC RGB); throws bgm::Error unless the image is 32x32.
void decode_image_32(const std::string& bytes, const std::filesystem::path& path, uint8_t* out);

/// Decodes an image of any size and reduces it to 32x32 by area averaging (each output pixel
/// the mean of the input pixels it covers), into `out` (3072 bytes, HWC RGB).
void decode_image_resized_32(const std::string& bytes, const std::filesystem::path& path, uint8_t* out);

}  // namespace bgm
