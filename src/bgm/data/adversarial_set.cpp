#include "bgm/data/adversarial_set.h"

#include <cmath>
#include <numeric>
#include <vector>

#include "bgm/core/random.h"

namespace bgm {

int64_t zeroed_entries(double zero_out) {
  // A tiny epsilon keeps an exactly representable product (e.g. 0.25 * 3072) from rounding down
  // while never crossing to the next integer for fractions given with a few decimals.
  return static_cast<int64_t>(std::floor(kImageEntries * zero_out + 1e-9));
}

Dataset make_adversarial_set(const Dataset& train, const AdversarialSetOptions& options) {
  TORCH_CHECK(options.replicas >= 1, "replicas must be >= 1, got ", options.replicas);
  TORCH_CHECK(options.zero_out >= 0 && options.zero_out <= 1, "zero_out must be in [0, 1], got ",
              options.zero_out);
  const int64_t n = train.size();
  const int64_t total = n * options.replicas;
  const int64_t k = zeroed_entries(options.zero_out);
  const int classes = train.num_classes();

  Dataset out;
  out.class_names = train.class_names;
  out.images = train.images.repeat_interleave(options.replicas, 0).contiguous();
  out.labels = torch::empty({total}, torch::kInt64);
  auto* pixels = out.images.data_ptr<uint8_t>();
  auto* labels = out.labels.data_ptr<int64_t>();

  Rng rng(options.seed, "algorithm1");
  std::vector<int32_t> entries(kImageEntries);
  for (int64_t j = 0; j < total; ++j) {
    // Partial Fisher-Yates: the first k positions become a uniform k-subset of the 3072 entries.
    std::iota(entries.begin(), entries.end(), 0);
    for (int64_t t = 0; t < k; ++t) {
      auto pick = t + static_cast<int64_t>(rng.below(kImageEntries - t));
      std::swap(entries[t], entries[pick]);
      pixels[j * kImageEntries + entries[t]] = 0;
    }
    labels[j] = static_cast<int64_t>(rng.below(classes));
  }
  return out;
}

}  // namespace bgm
