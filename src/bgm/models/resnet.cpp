#include "bgm/models/resnet.h"

namespace bgm {
namespace nn = torch::nn;
namespace {

nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, kernel)
                        .stride(stride)
                        .padding(kernel / 2)
                        .bias(false));
}

}  // namespace

BasicBlockImpl::BasicBlockImpl(int64_t in_planes, int64_t planes, int64_t stride) {
  conv1_ = register_module("conv1", conv(in_planes, planes, 3, stride));
  bn1_ = register_module("bn1", nn::BatchNorm2d(planes));
  conv2_ = register_module("conv2", conv(planes, planes, 3, 1));
  bn2_ = register_module("bn2", nn::BatchNorm2d(planes));
  shortcut_ = register_module("shortcut", nn::Sequential());
  if (stride != 1 || in_planes != planes) {
    shortcut_->push_back(conv(in_planes, planes, 1, stride));
    shortcut_->push_back(nn::BatchNorm2d(planes));
  }
}

torch::Tensor BasicBlockImpl::forward(torch::Tensor x) {
  auto out = torch::relu(bn1_->forward(conv1_->forward(x)));
  out = bn2_->forward(conv2_->forward(out));
  out += shortcut_->is_empty() ? x : shortcut_->forward(x);
  return torch::relu(out);
}

ResNetImpl::ResNetImpl(const ResNetOptions& options) : options_(options) {
  TORCH_CHECK(options.width() >= 1, "ResNet width must be >= 1, got ", options.width());
  const int64_t w = options.width();
  conv1_ = register_module("conv1", conv(3, w, 3, 1));
  bn1_ = register_module("bn1", nn::BatchNorm2d(w));
  int64_t in_planes = w;
  for (size_t stage = 0; stage < options.blocks().size(); ++stage) {
    const int64_t planes = w << stage;
    nn::Sequential layer;
    for (int64_t b = 0; b < options.blocks()[stage]; ++b) {
      const int64_t stride = (b == 0 && stage > 0) ? 2 : 1;
      layer->push_back(BasicBlock(in_planes, planes, stride));
      in_planes = planes;
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
