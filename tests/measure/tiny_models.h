#pragma once
// Networks small enough to check a measure by hand, shared by the measure tests.
#include <torch/torch.h>

#include "bgm/models/classifier.h"

namespace bgm::test {

/// conv 3->4 (3x3, stride 2, padding 1) + BN + ReLU, conv 4->4 (3x3, padding 1), global average
/// pool, linear 4 -> classes: two convolutions that see different input sizes.
class TinyConvNet : public ClassifierImpl {
 public:
  explicit TinyConvNet(int64_t classes = 3)
      : conv1(register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3).stride(2).padding(1).bias(false)))),
        bn1(register_module("bn1", torch::nn::BatchNorm2d(4))),
        conv2(register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(4, 4, 3).padding(1)))),
        fc(register_module("fc", torch::nn::Linear(4, classes))) {}
  torch::Tensor forward(torch::Tensor x) override {
    x = torch::relu(bn1(conv1(x)));
    x = conv2(x).mean({2, 3});
    return fc(x);
  }
  torch::nn::Conv2d conv1;
  torch::nn::BatchNorm2d bn1;
  torch::nn::Conv2d conv2;
  torch::nn::Linear fc;
};

/// The image's per-channel means -> linear 3 -> 2: 8 parameters, a Hessian one can write down.
class ChannelMeanNet : public ClassifierImpl {
 public:
  ChannelMeanNet() : fc(register_module("fc", torch::nn::Linear(3, 2))) {}
  torch::Tensor forward(torch::Tensor x) override { return fc(x.mean({2, 3})); }
  torch::nn::Linear fc;
};

}  // namespace bgm::test
