#include "bgm/models/vgg.h"

namespace bgm {
namespace nn = torch::nn;
namespace {

constexpr int64_t kPool = 0;
// VGG16's layer pattern in multiples of the first stage's width (0 = max pool).
const std::vector<int64_t> kVgg16Pattern = {1, 1, kPool, 2, 2, kPool, 4, 4, 4, kPool,
                                            8, 8, 8, kPool, 8, 8, 8, kPool};

}  // namespace

VggImpl::VggImpl(const VggOptions& options) {
  TORCH_CHECK(options.width() >= 1, "VGG width must be >= 1, got ", options.width());
  features_ = nn::Sequential();
  int64_t in = 3;
  for (int64_t m : kVgg16Pattern) {
    if (m == kPool) {
      features_->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)));
      continue;
    }
    const int64_t out = m * options.width();
    features_->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)));
    features_->push_back(nn::BatchNorm2d(out));
    features_->push_back(nn::ReLU(nn::ReLUOptions().inplace(true)));
    in = out;
  }
  // The reference ends its features with a 1x1 average pool (an identity on 1x1 maps); kept so
  // the layer indices, hence the state_dict keys, stay those of the reference.
  features_->push_back(nn::AvgPool2d(nn::AvgPool2dOptions(1).stride(1)));
  register_module("features", features_);
  classifier_ = register_module("classifier", nn::Linear(in, options.num_classes()));
}

torch::Tensor VggImpl::forward(torch::Tensor x) {
  return classifier_->forward(features_->forward(x).flatten(1));
}

}  // namespace bgm
