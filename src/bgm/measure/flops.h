#pragma once
// A model's forward FLOPs, counted on a real forward pass: an observer on LibTorch's operator
// calls reads the shapes every convolution and matrix product receives, so the count follows the
// model as it runs (strides, padding, groups) instead of a hand-written formula per model.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "bgm/models/classifier.h"

namespace bgm {

struct ForwardFlops {
  /// 2 FLOPs per multiply-accumulate of every convolution and matrix product (bias additions,
  /// BN, ReLU, residual additions and pools are elementwise: not counted, under 1% for ResNet18).
  double flops = 0;
  int64_t convolutions = 0;     ///< aten::convolution calls seen
  int64_t matrix_products = 0;  ///< aten::addmm / mm / bmm calls seen
};

/// The FLOPs of one forward pass of `model` on one example of shape `example` (e.g. {1, 3, 32,
/// 32}), on the CPU in eval mode without gradients; the model's mode is restored after.
ForwardFlops count_forward_flops(ClassifierImpl& model, const std::vector<int64_t>& example);

}  // namespace bgm
