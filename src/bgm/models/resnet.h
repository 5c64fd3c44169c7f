#pragma once
// ResNet18 and ResNet50 of the reference code (CIFAR variants): 3x3 stem without max pool,
// stages of BasicBlocks [2, 2, 2, 2] (ResNet18) or Bottlenecks [3, 4, 6, 3] (ResNet50, expansion
// 4) with 64/128/256/512 planes and strides 1/2/2/2, 1x1 conv + BN shortcut where the shape
// changes, 4x4 average pool, linear. Submodules carry PyTorch's names (conv1, bn1,
// layer1.0.conv1, layer2.0.shortcut.0, linear) so state_dicts match key by key.
#include "bgm/models/classifier.h"

namespace bgm {

struct ResNetOptions {
  TORCH_ARG(int64_t, num_classes) = 10;
  /// Planes of the first stage; the paper's models have 64, later stages double it.
  TORCH_ARG(int64_t, width) = 64;
  /// Blocks per stage; {2, 2, 2, 2} is ResNet18, {3, 4, 6, 3} with bottleneck is ResNet50.
  TORCH_ARG(std::vector<int64_t>, blocks) = std::vector<int64_t>{2, 2, 2, 2};
  /// Bottleneck blocks (1x1, 3x3, 1x1 convs, 4x as many output planes) instead of BasicBlocks.
  TORCH_ARG(bool, bottleneck) = false;
};

/// Two 3x3 convs with BN; the shortcut adds the input (or its 1x1-conv projection).
class BasicBlockImpl : public torch::nn::Module {
 public:
  static constexpr int64_t kExpansion = 1;
  BasicBlockImpl(int64_t in_planes, int64_t planes, int64_t stride);
  torch::Tensor forward(torch::Tensor x);

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  torch::nn::Sequential shortcut_{nullptr};  // empty = identity
};
TORCH_MODULE(BasicBlock);

/// 1x1 reduce, 3x3 (strided), 1x1 expand to 4 * planes, each with BN.
class BottleneckImpl : public torch::nn::Module {
 public:
  static constexpr int64_t kExpansion = 4;
  BottleneckImpl(int64_t in_planes, int64_t planes, int64_t stride);
  torch::Tensor forward(torch::Tensor x);

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr}, bn3_{nullptr};
  torch::nn::Sequential shortcut_{nullptr};  // empty = identity
};
TORCH_MODULE(Bottleneck);

class ResNetImpl : public ClassifierImpl {
 public:
  explicit ResNetImpl(const ResNetOptions& options);
  torch::Tensor forward(torch::Tensor x) override;
  const ResNetOptions& options() const { return options_; }

 private:
  ResNetOptions options_;
  torch::nn::Conv2d conv1_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr};
  std::vector<torch::nn::Sequential> layers_;
  torch::nn::Linear linear_{nullptr};
};
TORCH_MODULE(ResNet);

}  // namespace bgm
