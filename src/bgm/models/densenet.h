#pragma once
// DenseNet40 of the reference code: DenseNet-BC, depth 40, growth rate 12, bottleneck layers,
// compression 0.5. A 3x3 stem conv 3 -> 2k; three dense blocks of 6 layers (BN-ReLU-1x1 conv to
// 4k, BN-ReLU-3x3 conv to k, concatenated to the input); BN-ReLU-1x1 conv-2x2 average-pool
// transitions halving the channels; a final BN-ReLU, 8x8 average pool and linear. Keys are
// PyTorch's: conv1, block1.layer.0.bn1, trans1.conv1, bn1, fc.
#include "bgm/models/classifier.h"

namespace bgm {

struct DenseNetOptions {
  TORCH_ARG(int64_t, num_classes) = 10;
  /// k, channels each layer adds (12 = the paper's).
  TORCH_ARG(int64_t, growth) = 12;
  /// 40 = DenseNet40; (depth - 4) / 6 bottleneck layers per block.
  TORCH_ARG(int64_t, depth) = 40;
  /// Fraction of channels a transition keeps.
  TORCH_ARG(double, reduction) = 0.5;
};

/// BN-ReLU-1x1 conv (4k) then BN-ReLU-3x3 conv (k); returns the input with k channels appended.
class DenseLayerImpl : public torch::nn::Module {
 public:
  DenseLayerImpl(int64_t in_planes, int64_t growth);
  torch::Tensor forward(torch::Tensor x);

 private:
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
};
TORCH_MODULE(DenseLayer);

/// BN-ReLU-1x1 conv to out_planes, then 2x2 average pool.
class TransitionImpl : public torch::nn::Module {
 public:
  TransitionImpl(int64_t in_planes, int64_t out_planes);
  torch::Tensor forward(torch::Tensor x);

 private:
  torch::nn::BatchNorm2d bn1_{nullptr};
  torch::nn::Conv2d conv1_{nullptr};
};
TORCH_MODULE(Transition);

/// A dense block: its layers live in a Sequential named `layer`, as in the reference.
class DenseBlockImpl : public torch::nn::Module {
 public:
  DenseBlockImpl(int64_t layers, int64_t in_planes, int64_t growth);
  torch::Tensor forward(torch::Tensor x) { return layer_->forward(x); }

 private:
  torch::nn::Sequential layer_{nullptr};
};
TORCH_MODULE(DenseBlock);

class DenseNetImpl : public ClassifierImpl {
 public:
  explicit DenseNetImpl(const DenseNetOptions& options);
  torch::Tensor forward(torch::Tensor x) override;

 private:
  torch::nn::Conv2d conv1_{nullptr};
  DenseBlock block1_{nullptr}, block2_{nullptr}, block3_{nullptr};
  Transition trans1_{nullptr}, trans2_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr};
  torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(DenseNet);

/// The reference's DenseNet initialization: every conv N(0, 2 / (k * k * out_channels)), BN
/// weight 1 and bias 0, linear bias 0 (linear weight keeps the framework default). Draws from
/// LibTorch's generator.
void init_densenet(torch::nn::Module& model);

}  // namespace bgm
