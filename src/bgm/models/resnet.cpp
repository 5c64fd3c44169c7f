#include "bgm/models/resnet.h"

#include "bgm/models/layers.h"

namespace bgm {
namespace nn = torch::nn;
namespace {

// The projection shortcut of both block kinds, registered as `shortcut` (PyTorch's
// shortcut.0 / shortcut.1 keys); empty, i.e. the identity, when the shape does not change.
nn::Sequential make_shortcut(int64_t in_planes, int64_t out_planes, int64_t stride) {
  nn::Sequential s;
  if (stride != 1 || in_planes != out_planes) {
    s->push_back(conv_no_bias(in_planes, out_planes, 1, stride));
    s->push_back(nn::BatchNorm2d(out_planes));
  }
  return s;
}

torch::Tensor add_shortcut(torch::Tensor out, const torch::Tensor& x, nn::Sequential& shortcut) {
  out += shortcut->is_empty() ? x : shortcut->forward(x);
  return torch::relu(out);
}

}  // namespace

BasicBlockImpl::BasicBlockImpl(int64_t in_planes, int64_t planes, int64_t stride) {
  conv1_ = register_module("conv1", conv_no_bias(in_planes, planes, 3, stride));
  bn1_ = register_module("bn1", nn::BatchNorm2d(planes));
  conv2_ = register_module("conv2", conv_no_bias(planes, planes, 3, 1));
  bn2_ = register_module("bn2", nn::BatchNorm2d(planes));
  shortcut_ = register_module("shortcut", make_shortcut(in_planes, planes * kExpansion, stride));
}

torch::Tensor BasicBlockImpl::forward(torch::Tensor x) {
  auto out = torch::relu(bn1_->forward(conv1_->forward(x)));
  out = bn2_->forward(conv2_->forward(out));
  return add_shortcut(out, x, shortcut_);
}

BottleneckImpl::BottleneckImpl(int64_t in_planes, int64_t planes, int64_t stride) {
  conv1_ = register_module("conv1", conv_no_bias(in_planes, planes, 1, 1));
  bn1_ = register_module("bn1", nn::BatchNorm2d(planes));
  conv2_ = register_module("conv2", conv_no_bias(planes, planes, 3, stride));
  bn2_ = register_module("bn2", nn::BatchNorm2d(planes));
  conv3_ = register_module("conv3", conv_no_bias(planes, planes * kExpansion, 1, 1));
  bn3_ = register_module("bn3", nn::BatchNorm2d(planes * kExpansion));
  shortcut_ = register_module("shortcut", make_shortcut(in_planes, planes * kExpansion, stride));
}

torch::Tensor BottleneckImpl::forward(torch::Tensor x) {
  auto out = torch::relu(bn1_->forward(conv1_->forward(x)));
  out = torch::relu(bn2_->forward(conv2_->forward(out)));
  out = bn3_->forward(conv3_->forward(out));
  return add_shortcut(out, x, shortcut_);
}

ResNetImpl::ResNetImpl(const ResNetOptions& options) : options_(options) {
  TORCH_CHECK(options.width() >= 1, "ResNet width must be >= 1, got ", options.width());
  const int64_t w = options.width();
  const int64_t expansion = options.bottleneck() ? BottleneckImpl::kExpansion : BasicBlockImpl::kExpansion;
  conv1_ = register_module("conv1", conv_no_bias(3, w, 3, 1));
  bn1_ = register_module("bn1", nn::BatchNorm2d(w));
  int64_t in_planes = w;
  for (size_t stage = 0; stage < options.blocks().size(); ++stage) {
    const int64_t planes = w << stage;
    nn::Sequential layer;
    for (int64_t b = 0; b < options.blocks()[stage]; ++b) {
      const int64_t stride = (b == 0 && stage > 0) ? 2 : 1;
      if (options.bottleneck())
        layer->push_back(Bottleneck(in_planes, planes, stride));
      else
        layer->push_back(BasicBlock(in_planes, planes, stride));
      in_planes = planes * expansion;
    }
    layers_.push_back(register_module("layer" + std::to_string(stage + 1), layer));
  }
  linear_ = register_module("linear", nn::Linear(in_planes, options.num_classes()));
}

torch::Tensor ResNetImpl::forward(torch::Tensor x) {
  auto out = torch::relu(bn1_->forward(conv1_->forward(x)));
  for (auto& layer : layers_) out = layer->forward(out);
  out = torch::avg_pool2d(out, 4);
  return linear_->forward(out.flatten(1));
}

}  // namespace bgm
