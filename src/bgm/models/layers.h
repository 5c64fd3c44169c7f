#pragma once
// Small layer builders shared by the models of the zoo.
#include <torch/torch.h>

namespace bgm {

/// A square conv with "same" padding (kernel / 2) and no bias, as every CIFAR model here uses.
inline torch::nn::Conv2d conv_no_bias(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

}  // namespace bgm
