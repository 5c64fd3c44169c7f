#pragma once
// A small convolutional classifier without batch norm: data-parallel training must follow
// one process's path exactly on it (BN statistics would be per rank).
#include <torch/torch.h>

#include "bgm/models/classifier.h"

namespace bgm::test {

class NoBnNet : public ClassifierImpl {
 public:
  NoBnNet()
      : conv1(register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 8, 3).stride(2).padding(1)))),
        conv2(register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 16, 3).stride(2).padding(1)))),
        fc(register_module("fc", torch::nn::Linear(16, 10))) {}
  torch::Tensor forward(torch::Tensor x) override {
    x = torch::relu(conv1(x));
    x = torch::relu(conv2(x)).mean({2, 3});
    return fc(x);
  }
  torch::nn::Conv2d conv1, conv2;
  torch::nn::Linear fc;
};

}  // namespace bgm::test
