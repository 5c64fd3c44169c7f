#include "bgm/data/toy_data.h"

#include "bgm/core/random.h"

namespace bgm {

ToyData make_toy_data(int64_t per_class, uint64_t seed) {
  Rng rng(seed, "toy/data");
  ToyData d{torch::empty({2 * per_class, 2}), torch::empty({2 * per_class})};
  auto p = d.points.accessor<float, 2>();
  auto l = d.labels.accessor<float, 1>();
  for (int64_t i = 0; i < 2 * per_class; ++i) {
    const int label = i < per_class ? 0 : 1;
    p[i][0] = static_cast<float>(0.1 * (2.0 + 1.5 * rng.gaussian()) + (label ? 0.65 : -0.65));
    p[i][1] = static_cast<float>(0.1 * (2.0 + 1.5 * rng.gaussian()));
    l[i] = static_cast<float>(label);
  }
  return d;
}

ToyData with_random_labels(const ToyData& data, uint64_t seed) {
  Rng rng(seed, "toy/random-labels");
  ToyData d{data.points, torch::empty_like(data.labels)};
  auto l = d.labels.accessor<float, 1>();
  for (int64_t i = 0; i < d.labels.size(0); ++i) l[i] = static_cast<float>(rng.below(2));
  return d;
}

ToyData with_noisy_copies(const ToyData& data, int copies, double noise_std, uint64_t seed) {
  Rng rng(seed, "toy/augment");
  const int64_t n = data.points.size(0), m = n * (1 + copies);
  ToyData d{torch::empty({m, 2}), torch::empty({m})};
  auto src = data.points.accessor<float, 2>();
  auto src_l = data.labels.accessor<float, 1>();
  auto p = d.points.accessor<float, 2>();
  auto l = d.labels.accessor<float, 1>();
  for (int64_t i = 0, k = 0; i < n; ++i)
    for (int c = 0; c <= copies; ++c, ++k) {
      for (int j = 0; j < 2; ++j)
        p[k][j] = src[i][j] + (c == 0 ? 0.0f : static_cast<float>(noise_std * rng.gaussian()));
      l[k] = src_l[i];
    }
  return d;
}

}  // namespace bgm
