#pragma once
// VGG16 of the reference code (CIFAR variant): 13 3x3 convs (with bias), each followed by BN and
// ReLU, in the pattern 64,64,M,128,128,M,256x3,M,512x3,M,512x3,M (M = 2x2 max pool), a 1x1
// average pool, and one linear layer 512 -> C. Keys are PyTorch's: features.<index>.weight for
// the positions of the reference's nn.Sequential (ReLU and pool layers count), classifier.*.
// Unlike the reference, whose classifier is fixed at 10 classes, C follows the data set.
#include "bgm/models/classifier.h"

namespace bgm {

struct VggOptions {
  TORCH_ARG(int64_t, num_classes) = 10;
  /// Channels of the first stage (64 = the paper's); the later stages keep the ratios
  /// 1, 2, 4, 8, 8 of the original pattern.
  TORCH_ARG(int64_t, width) = 64;
};

class VggImpl : public ClassifierImpl {
 public:
  explicit VggImpl(const VggOptions& options);
  torch::Tensor forward(torch::Tensor x) override;

 private:
  torch::nn::Sequential features_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};
TORCH_MODULE(Vgg);

}  // namespace bgm
