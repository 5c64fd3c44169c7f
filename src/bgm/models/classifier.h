#pragma once
// The common face of every model of the zoo: images in, logits out.
#include <torch/torch.h>

namespace bgm {

/// Base of all image classifiers: (B, 3, 32, 32) normalized float -> (B, classes) logits.
class ClassifierImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(torch::Tensor x) = 0;
};

using Classifier = std::shared_ptr<ClassifierImpl>;

}  // namespace bgm
