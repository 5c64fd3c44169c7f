#pragma once
// Helpers shared by the tests: temporary directories, tiny synthetic data sets, running bgm.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bgm/data/dataset.h"

namespace bgm::test {

/// A fresh empty directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// n images with every pixel in [1, 255] (so a zeroed entry is recognisable), labels i % classes.
Dataset synthetic_dataset(int64_t n, int classes, uint64_t seed);

/// A PNG file's bytes for HWC RGB pixels.
std::string encode_png(const std::vector<uint8_t>& rgb, int width, int height);

/// A PNG in one of libpng's simplified-API formats (PNG_FORMAT_GRAY, PNG_FORMAT_LINEAR_Y for
/// 16 bits, PNG_FORMAT_RGB_COLORMAP with `colormap` RGB entries): grayscale, 16-bit and palette
/// files for the decoder's tests. `pixels` holds the raw samples (uint16 as 2 bytes each).
std::string encode_png_as(const std::vector<uint8_t>& pixels, int width, int height, uint32_t format,
                          const std::vector<uint8_t>& colormap = {});

/// For each run directory in a run store, when its result.json was written (a run trained again
/// gets a new time).
std::map<std::string, std::filesystem::file_time_type> result_times(const std::filesystem::path& store);

/// Runs the bgm executable with args; returns its exit status, stdout+stderr in *output.
int run_bgm(const std::string& args, std::string* output);

/// Starts bgm with args in the background, stdout+stderr to log; returns its process id.
int spawn_bgm(const std::string& args, const std::filesystem::path& log);

/// Waits for a spawned bgm; its exit status, or 128 + the signal that ended it.
int wait_bgm(int pid);

}  // namespace bgm::test
