#include "bgm/data/adversarial_set.h"

#include <array>
#include <cmath>
#include <numeric>

#include "bgm/core/random.h"

namespace bgm {
namespace {

void check(const AdversarialSetOptions& options) {
  TORCH_CHECK(options.replicas >= 1, "replicas must be >= 1, got ", options.replicas);
  TORCH_CHECK(options.zero_out >= 0 && options.zero_out <= 1, "zero_out must be in [0, 1], got ",
              options.zero_out);
}

// Copy j's noise: k distinct entries set to 0, drawn from copy j's own stream.
class ZeroedCopies final : public ImageRecipe {
 public:
  ZeroedCopies(int replicas, int64_t zeroed, uint64_t seed)
      : replicas_(replicas), zeroed_(zeroed), stream_(derive_seed(seed, "algorithm1/entries")) {}

  int64_t base_index(int64_t j) const override { return j / replicas_; }

  void apply(int64_t j, uint8_t* image) const override {
    // Partial Fisher-Yates: the first k positions become a uniform k-subset of the 3072
    // entries. The swaps are undone afterwards, so the table is the identity again at the next
    // call without rewriting all 3072 entries.
    thread_local std::array<int16_t, kImageEntries> entries = identity();
    thread_local std::array<int16_t, kImageEntries> picks{};
    Rng rng(derive_seed(stream_, static_cast<uint64_t>(j)));
    for (int64_t t = 0; t < zeroed_; ++t) {
      const auto pick = static_cast<int16_t>(t + static_cast<int64_t>(rng.below(kImageEntries - t)));
      picks[t] = pick;
      std::swap(entries[t], entries[pick]);
      image[entries[t]] = 0;
    }
    for (int64_t t = zeroed_ - 1; t >= 0; --t) std::swap(entries[t], entries[picks[t]]);
  }

  uint64_t hash() const override {
    const std::array<uint64_t, 4> fields{0x616c67315f7632ULL /* "alg1_v2" */, static_cast<uint64_t>(replicas_),
                                         static_cast<uint64_t>(zeroed_), stream_};
    return fnv1a64(fields.data(), sizeof fields);
  }

 private:
  static std::array<int16_t, kImageEntries> identity() {
    std::array<int16_t, kImageEntries> a{};
    std::iota(a.begin(), a.end(), int16_t{0});
    return a;
  }

  int replicas_;
  int64_t zeroed_;
  uint64_t stream_;
};

torch::Tensor random_labels(int64_t total, int classes, uint64_t seed) {
  auto labels = torch::empty({total}, torch::kInt64);
  auto* out = labels.data_ptr<int64_t>();
  Rng rng(seed, "algorithm1/labels");
  for (int64_t j = 0; j < total; ++j) out[j] = static_cast<int64_t>(rng.below(static_cast<uint64_t>(classes)));
  return labels;
}

}  // namespace

int64_t zeroed_entries(double zero_out) {
  // A tiny epsilon keeps an exactly representable product (e.g. 0.25 * 3072) from rounding down
  // while never crossing to the next integer for fractions given with a few decimals.
  return static_cast<int64_t>(std::floor(kImageEntries * zero_out + 1e-9));
}

Dataset make_adversarial_set(const Dataset& train, const AdversarialSetOptions& options) {
  check(options);
  Dataset out;
  out.class_names = train.class_names;
  out.images = train.images.contiguous();  // shared with train, not copied
  out.labels = random_labels(train.size() * options.replicas, train.num_classes(), options.seed);
  out.recipe = std::make_shared<ZeroedCopies>(options.replicas, zeroed_entries(options.zero_out), options.seed);
  return out;
}

Dataset make_stored_adversarial_set(const Dataset& train, const AdversarialSetOptions& options) {
  check(options);
  const ZeroedCopies noise(options.replicas, zeroed_entries(options.zero_out), options.seed);
  Dataset out;
  out.class_names = train.class_names;
  out.images = train.images.repeat_interleave(options.replicas, 0).contiguous();
  out.labels = random_labels(train.size() * options.replicas, train.num_classes(), options.seed);
  uint8_t* pixels = out.images.data_ptr<uint8_t>();
  at::parallel_for(0, out.size(), 1024, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) noise.apply(j, pixels + j * kImageEntries);
  });
  return out;
}

}  // namespace bgm
