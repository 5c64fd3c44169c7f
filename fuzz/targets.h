#pragma once
// The fuzz targets: each feeds one input to a parser of untrusted data and returns 0. A parser
// may refuse the input only with bgm::Error (the one-line message users see); any other
// exception escapes, and libFuzzer (or the corpus replay test) reports it, as it reports a crash,
// a hang, a leak or a sanitizer finding. Each target also checks what it gets back.
//
// Built into libFuzzer binaries with -DBGM_FUZZ=ON (fuzz/CMakeLists.txt, scripts/fuzz.sh) and
// into the test suite, which replays fuzz/corpus/TARGET and fuzz/crashes/TARGET in CI.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bgm::fuzz {

using Target = int (*)(const uint8_t* data, size_t size);

/// CIFAR-10/100 binary records (the first byte picks the release).
int cifar_records(const uint8_t* data, size_t size);
/// JPEG/PNG decoding as the image-folder loader does it (the first byte picks: any size,
/// exactly 32x32, or reduced to 32x32).
int image_decode(const uint8_t* data, size_t size);
/// torch.save / torch::pickle_save files: the zip container and the pickle.
int torch_file(const uint8_t* data, size_t size);
/// The text of configuration values (the first byte picks the parser): lr schedules, devices,
/// precisions, seed lists, R lists, and a study's config.json against the one on disk.
int config_text(const uint8_t* data, size_t size);

struct NamedTarget {
  const char* name;  ///< also its folder under fuzz/corpus and fuzz/crashes
  Target run;
};
const std::vector<NamedTarget>& all_targets();

}  // namespace bgm::fuzz
