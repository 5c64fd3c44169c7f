#pragma once
// Encodes RGB pixels as PNG (libpng): the toy study's decision-boundary pictures, and the tests'
// image fixtures. The inverse of image_decode for lossless files.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bgm/data/image_decode.h"

namespace bgm {

/// The bytes of a PNG file holding `image` (HWC RGB, 8 bits per channel).
std::string encode_png(const RgbImage& image);

/// Writes `image` as a PNG file, atomically (temporary name, then rename).
void write_png(const RgbImage& image, const std::filesystem::path& path);

}  // namespace bgm
