#pragma once
// Decodes one JPEG or PNG file (chosen by its bytes, not its name) into 32x32x3 uint8 pixels.
#include <cstdint>
#include <filesystem>
#include <string>

namespace bgm {

/// Decodes `bytes` (the contents of `path`, named in errors) into `out` (3072 bytes, HWC RGB).
/// Grayscale images are expanded to RGB. Throws bgm::Error if the bytes are not a decodable
/// JPEG/PNG or the image is not 32x32.
void decode_image_32(const std::string& bytes, const std::filesystem::path& path, uint8_t* out);

}  // namespace bgm
