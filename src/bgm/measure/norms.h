#pragma once
// Norms that proxy a model's complexity (Figure 5, PAPER.md "Measurements"): the Frobenius norm
// of all trainable parameters and per layer, and the l1 / l2 path norms with BatchNorm taken as
// the per-channel affine map it is in eval mode. Each is a function of the weights only.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace bgm {

/// A model's forward pass (e.g. [&](auto x) { return model.forward(x); }).
using Forward = std::function<torch::Tensor(const torch::Tensor&)>;

/// The module part of a parameter name: "layer1.0.conv1.weight" -> "layer1.0.conv1".
std::string parameter_owner(const std::string& parameter);

/// sqrt of the sum of squares of every trainable parameter (BN running statistics excluded).
double frobenius_norm(const torch::nn::Module& model);

/// Per layer: the module owning the parameters ("layer1.0.conv1", "bn1", "linear") and the
/// Frobenius norm of its trainable parameters (weight and bias together), in parameter order.
std::vector<std::pair<std::string, double>> layer_frobenius_norms(const torch::nn::Module& model);

/// The lp path norm (p >= 1): in eval mode, every parameter replaced by |w|^p and every
/// BatchNorm by the affine map x -> |a|^p x + |c|^p with a = gamma / sqrt(running_var + eps),
/// c = beta - a * running_mean; an all-ones input of `input_shape` (one example, e.g. {1, 3, 32,
/// 32}); the outputs summed; the 1/p-th power. Computed in float64 on the CPU. The model's
/// weights, buffers, device and train/eval mode are unchanged afterwards.
double path_norm(torch::nn::Module& model, const Forward& forward, double p, const std::vector<int64_t>& input_shape);

}  // namespace bgm
