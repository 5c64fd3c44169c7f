#pragma once
// The batch pipeline: index plans per epoch, batched uint8 augmentation (no per-image tensor
// ops), and the conversion to the model's normalized float input.
#include <torch/torch.h>

#include <vector>

#include "bgm/core/random.h"
#include "bgm/data/dataset.h"

namespace bgm {

/// Splits 0..n-1 into batches of `batch` indices, shuffled with rng if given. drop_last drops
/// an incomplete final batch (see docs: tiny last batches upset BN statistics at lr 0.1).
std::vector<std::vector<int64_t>> epoch_batches(int64_t n, int64_t batch, bool drop_last, Rng* rng);

/// The paper's augmentation on a (B, 32, 32, 3) uint8 batch: a random 32x32 crop of the image
/// zero-padded by 4 on each side, then a horizontal flip with probability 1/2. Returns a new
/// tensor; the draws per image are dy, dx in [0, 8] and flip in {0, 1}, in that order.
torch::Tensor augment_crop_flip(const torch::Tensor& batch, Rng& rng);

/// (B, 32, 32, 3) uint8 -> (B, 3, 32, 32) float on `device`, scaled to [0, 1] and normalized;
/// channels-last memory if asked (the same byte order as the uint8 source).
torch::Tensor to_model_input(const torch::Tensor& batch, const Normalization& norm,
                             torch::Device device, bool channels_last);

}  // namespace bgm
