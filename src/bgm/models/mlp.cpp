#include "bgm/models/mlp.h"

namespace bgm {

ToyMlpImpl::ToyMlpImpl(const ToyMlpOptions& o)
    : fc1(register_module("fc1", torch::nn::Linear(o.inputs(), o.hidden()))),
      fc2(register_module("fc2", torch::nn::Linear(o.hidden(), o.hidden()))),
      fc3(register_module("fc3", torch::nn::Linear(o.hidden(), 1))) {}

torch::Tensor ToyMlpImpl::forward(torch::Tensor x) {
  x = torch::relu(fc1->forward(x));
  x = torch::relu(fc2->forward(x));
  return fc3->forward(x).squeeze(1);
}

}  // namespace bgm
