#pragma once
// Spectral norms of a model's layers (a complexity measure beyond the paper's three norms):
// every convolution's operator norm - found by power iteration on the convolution operator
// itself, with its padding, stride, dilation and groups, on the input size the layer sees in the
// model - every linear layer's largest singular value, and every BatchNorm's in eval mode (the
// largest |gamma / sqrt(running_var + eps)|: it is a diagonal map). Their product is reported
// as the sum of logs, which does not overflow for deep nets.
#include <string>
#include <vector>

#include "bgm/measure/norms.h"

namespace bgm {

struct ConvGeometry {
  std::vector<int64_t> input_shape;  ///< (1, C, H, W): one example as the layer sees it
  std::vector<int64_t> stride, padding, dilation;
  int64_t groups = 1;
};

/// The largest singular value of x -> conv2d(x, weight) (no bias) on inputs of
/// geometry.input_shape, by power iteration with A^T from autograd, in float32 on weight's
/// device; stops when the estimate changes by less than `tolerance` (relative) or after
/// `iterations`. The start vector is drawn from `seed`.
double conv_operator_norm(const torch::Tensor& weight, const ConvGeometry& geometry, int iterations = 50,
                          double tolerance = 1e-4, uint64_t seed = 0);

struct LayerNorm {
  std::string layer;  ///< the module's name, e.g. "layer1.0.conv1"
  std::string kind;   ///< "conv", "linear" or "batchnorm"
  double norm = 0;
};

struct SpectralNorms {
  std::vector<LayerNorm> layers;  ///< in parameter order
  double log_product = 0;         ///< sum of ln(norm) over the layers
};

/// Every layer's spectral norm. One forward pass of an example of input_shape (traced without
/// gradients, in eval mode) finds the input size of each convolution; the model is unchanged.
SpectralNorms spectral_norms(torch::nn::Module& model, const Forward& forward, const std::vector<int64_t>& input_shape,
                             int iterations = 50, double tolerance = 1e-4);

}  // namespace bgm
