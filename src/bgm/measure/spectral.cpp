#include "bgm/measure/spectral.h"

#include <ATen/record_function.h>

#include <cmath>
#include <map>

#include "bgm/core/error.h"
#include "bgm/core/exact_fp32.h"
#include "bgm/core/random.h"
#include "bgm/core/threads.h"
#include "bgm/models/model_state.h"

namespace bgm {
namespace {

// Input sizes of the convolutions of one forward pass, keyed by the weight tensor's data. The
// dispatcher's RecordFunction hook sees every aten::convolution call with its arguments, so no
// model has to be written to report its shapes.
thread_local std::map<const void*, std::vector<int64_t>>* g_conv_inputs = nullptr;

std::unique_ptr<at::ObserverContext> record_conv_input(const at::RecordFunction& fn) {
  if (g_conv_inputs == nullptr) return nullptr;
  const std::string name = fn.name();
  if (name != "aten::convolution" && name != "aten::conv2d") return nullptr;
  const auto inputs = fn.inputs();
  if (inputs.size() < 2 || !inputs[0].isTensor() || !inputs[1].isTensor()) return nullptr;
  g_conv_inputs->emplace(inputs[1].toTensor().data_ptr(), inputs[0].toTensor().sizes().vec());
  return nullptr;
}

std::map<const void*, std::vector<int64_t>> trace_conv_inputs(torch::nn::Module& model, const Forward& forward,
                                                              const std::vector<int64_t>& input_shape) {
  std::map<const void*, std::vector<int64_t>> inputs;
  const bool training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  const auto device = model.parameters().empty() ? torch::Device(torch::kCPU) : model.parameters().front().device();
  g_conv_inputs = &inputs;
  const auto handle = at::addThreadLocalCallback(
      at::RecordFunctionCallback(&record_conv_input).needsInputs(true).scopes({at::RecordScope::FUNCTION}));
  try {
    forward(torch::ones(input_shape, torch::TensorOptions().device(device)));
  } catch (...) {
    at::removeCallback(handle);
    g_conv_inputs = nullptr;
    model.train(training);
    throw;
  }
  at::removeCallback(handle);
  g_conv_inputs = nullptr;
  model.train(training);
  return inputs;
}

std::vector<int64_t> vec(torch::IntArrayRef a) { return a.vec(); }

}  // namespace

double conv_operator_norm(const torch::Tensor& weight, const ConvGeometry& g, int iterations, double tolerance,
                          uint64_t seed) {
  const auto w = weight.detach().to(torch::kFloat32).contiguous();
  auto gen = at::detail::createCPUGenerator(derive_seed(seed, "spectral"));
  auto x = torch::randn(g.input_shape, gen, torch::TensorOptions().dtype(torch::kFloat32)).to(w.device());
  x /= x.norm();
  double sigma = 0;
  for (int it = 0; it < iterations; ++it) {
    auto xr = x.detach().requires_grad_(true);
    auto y = torch::conv2d(xr, w, {}, g.stride, g.padding, g.dilation, g.groups);
    const double estimate = y.norm().item<double>();
    // A^T y: the gradient of <A x, y> with respect to x.
    auto back = torch::autograd::grad({y}, {xr}, {y.detach()})[0];
    const double back_norm = back.norm().item<double>();
    if (back_norm == 0) return 0;  // an all-zero kernel
    x = back / back_norm;
    const bool converged = it > 0 && std::abs(estimate - sigma) <= tolerance * estimate;
    sigma = estimate;
    if (converged) break;
  }
  return sigma;
}

SpectralNorms spectral_norms(torch::nn::Module& model, const Forward& forward, const std::vector<int64_t>& input_shape,
                             int iterations, double tolerance) {
  SingleThreadScope one_thread;  // one example at a time: thousands of tiny operations
  ExactFp32Scope fp32;
  const auto conv_inputs = trace_conv_inputs(model, forward, input_shape);
  std::map<const void*, std::string> names;
  for (const auto& item : model.named_parameters()) names[item.value().data_ptr()] = parameter_owner(item.key());
  SpectralNorms out;
  torch::NoGradGuard no_grad;
  for (torch::nn::Module* m : module_tree(model)) {
    LayerNorm layer;
    if (auto* conv = dynamic_cast<torch::nn::Conv2dImpl*>(m)) {
      const auto found = conv_inputs.find(conv->weight.data_ptr());
      if (found == conv_inputs.end()) continue;  // not used by the forward pass
      const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&conv->options.padding());
      if (padding == nullptr) throw Error("spectral norm: convolution padding given as a mode, expected sizes");
      ConvGeometry g{found->second, vec(*conv->options.stride()), vec(**padding), vec(*conv->options.dilation()),
                     conv->options.groups()};
      g.input_shape[0] = 1;
      torch::AutoGradMode grad(true);
      layer = {names.at(conv->weight.data_ptr()), "conv", conv_operator_norm(conv->weight, g, iterations, tolerance)};
    } else if (auto* linear = dynamic_cast<torch::nn::LinearImpl*>(m)) {
      layer = {names.at(linear->weight.data_ptr()), "linear",
               torch::linalg_svdvals(linear->weight.detach().to(torch::kCPU, torch::kFloat64)).max().item<double>()};
    } else if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m)) {
      auto a = bn->weight.detach().to(torch::kFloat64) / torch::sqrt(bn->running_var.to(torch::kFloat64) + bn->options.eps());
      layer = {names.at(bn->weight.data_ptr()), "batchnorm", a.abs().max().item<double>()};
    } else {
      continue;
    }
    out.log_product += std::log(layer.norm);
    out.layers.push_back(layer);
  }
  return out;
}

}  // namespace bgm
