#pragma once
// The toy study's data (Figure 1, PAPER.md): two 2-D Gaussian classes drawn as the reference
// code does, 0.1 * N(2, 1.5^2) per coordinate, shifted by -0.65 (class 0) / +0.65 (class 1) on
// the first axis; plus the two label/augmentation variants the four settings need.
#include <torch/torch.h>

#include <cstdint>

namespace bgm {

struct ToyData {
  torch::Tensor points;  ///< (N, 2) float32
  torch::Tensor labels;  ///< (N) float32 in {0, 1}
};

/// per_class points of class 0, then per_class of class 1, from the seeded stream "toy/data".
ToyData make_toy_data(int64_t per_class, uint64_t seed);

/// The same points with labels drawn uniformly from {0, 1} (stream "toy/random-labels").
ToyData with_random_labels(const ToyData& data, uint64_t seed);

/// Each point followed by `copies` copies with N(0, noise_std^2) added per coordinate, same label
/// (stream "toy/augment"): the augmentation of the toy's fourth setting.
ToyData with_noisy_copies(const ToyData& data, int copies, double noise_std, uint64_t seed);

}  // namespace bgm
