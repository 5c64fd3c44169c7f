#include "bgm/models/densenet.h"

#include <cmath>

#include "bgm/models/layers.h"

namespace bgm {
namespace nn = torch::nn;

DenseLayerImpl::DenseLayerImpl(int64_t in_planes, int64_t growth) {
  const int64_t inter = 4 * growth;
  bn1_ = register_module("bn1", nn::BatchNorm2d(in_planes));
  conv1_ = register_module("conv1", conv_no_bias(in_planes, inter, 1, 1));
  bn2_ = register_module("bn2", nn::BatchNorm2d(inter));
  conv2_ = register_module("conv2", conv_no_bias(inter, growth, 3, 1));
}

torch::Tensor DenseLayerImpl::forward(torch::Tensor x) {
  auto out = conv1_->forward(torch::relu(bn1_->forward(x)));
  out = conv2_->forward(torch::relu(bn2_->forward(out)));
  return torch::cat({x, out}, 1);
}

TransitionImpl::TransitionImpl(int64_t in_planes, int64_t out_planes) {
  bn1_ = register_module("bn1", nn::BatchNorm2d(in_planes));
  conv1_ = register_module("conv1", conv_no_bias(in_planes, out_planes, 1, 1));
}

torch::Tensor TransitionImpl::forward(torch::Tensor x) {
  return torch::avg_pool2d(conv1_->forward(torch::relu(bn1_->forward(x))), 2);
}

DenseBlockImpl::DenseBlockImpl(int64_t layers, int64_t in_planes, int64_t growth) {
  layer_ = nn::Sequential();
  for (int64_t i = 0; i < layers; ++i) layer_->push_back(DenseLayer(in_planes + i * growth, growth));
  register_module("layer", layer_);
}

DenseNetImpl::DenseNetImpl(const DenseNetOptions& o) {
  TORCH_CHECK(o.growth() >= 1, "DenseNet growth rate must be >= 1, got ", o.growth());
  TORCH_CHECK(o.depth() >= 10 && (o.depth() - 4) % 6 == 0, "DenseNet-BC depth must be 6n + 4, got ",
              o.depth());
  const int64_t n = (o.depth() - 4) / 6;  // bottleneck layers per block
  const int64_t k = o.growth();
  int64_t planes = 2 * k;
  auto compress = [&](int64_t c) { return static_cast<int64_t>(std::floor(c * o.reduction())); };
  conv1_ = register_module("conv1", conv_no_bias(3, planes, 3, 1));
  block1_ = register_module("block1", DenseBlock(n, planes, k));
  planes += n * k;
  trans1_ = register_module("trans1", Transition(planes, compress(planes)));
  planes = compress(planes);
  block2_ = register_module("block2", DenseBlock(n, planes, k));
  planes += n * k;
  trans2_ = register_module("trans2", Transition(planes, compress(planes)));
  planes = compress(planes);
  block3_ = register_module("block3", DenseBlock(n, planes, k));
  planes += n * k;
  bn1_ = register_module("bn1", nn::BatchNorm2d(planes));
  fc_ = register_module("fc", nn::Linear(planes, o.num_classes()));
}

torch::Tensor DenseNetImpl::forward(torch::Tensor x) {
  auto out = trans1_->forward(block1_->forward(conv1_->forward(x)));
  out = trans2_->forward(block2_->forward(out));
  out = torch::relu(bn1_->forward(block3_->forward(out)));
  return fc_->forward(torch::avg_pool2d(out, 8).flatten(1));
}

void init_densenet(nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (auto& m : model.modules(/*include_self=*/true)) {
    if (auto* conv = m->as<nn::Conv2d>()) {
      const auto& ks = conv->options.kernel_size();
      const double fan = static_cast<double>((*ks)[0] * (*ks)[1] * conv->options.out_channels());
      conv->weight.normal_(0.0, std::sqrt(2.0 / fan));
    } else if (auto* bn = m->as<nn::BatchNorm2d>()) {
      bn->weight.fill_(1.0);
      bn->bias.zero_();
    } else if (auto* linear = m->as<nn::Linear>()) {
      linear->bias.zero_();
    }
  }
}

}  // namespace bgm
