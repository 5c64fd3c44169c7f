#pragma once
// The toy study's network (Figure 1): 2 inputs, two hidden ReLU layers of 100, one output
// logit; sigmoid + binary cross-entropy are applied by the loss, so forward returns logits.
#include <torch/torch.h>

namespace bgm {

struct ToyMlpOptions {
  TORCH_ARG(int64_t, inputs) = 2;
  TORCH_ARG(int64_t, hidden) = 100;
};

class ToyMlpImpl : public torch::nn::Module {
 public:
  explicit ToyMlpImpl(const ToyMlpOptions& options = {});
  /// (B, 2) points -> (B) logits of class 1.
  torch::Tensor forward(torch::Tensor x);

  torch::nn::Linear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};
};
TORCH_MODULE(ToyMlp);

}  // namespace bgm
