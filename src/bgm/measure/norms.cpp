#include "bgm/measure/norms.h"

#include <cmath>
#include <map>

#include "bgm/core/error.h"
#include "bgm/core/threads.h"
#include "bgm/models/model_state.h"

namespace bgm {
namespace {

std::vector<torch::Tensor> tensors_of(torch::nn::Module& model) {
  auto all = model.parameters();
  for (auto& b : model.buffers()) all.push_back(b);
  return all;
}

// Every parameter and buffer of a module, saved to be put back exactly (values, dtype, device,
// memory layout) after a measurement that rewrites them.
class SavedState {
 public:
  explicit SavedState(torch::nn::Module& model) : model_(model), training_(model.is_training()) {
    for (auto& t : tensors_of(model)) saved_.push_back(t.detach().clone());
  }
  ~SavedState() {
    size_t i = 0;
    for (auto& t : tensors_of(model_)) t.set_data(saved_[i++]);
    model_.train(training_);
  }

 private:
  torch::nn::Module& model_;
  bool training_;
  std::vector<torch::Tensor> saved_;
};

// BatchNorm in eval mode as y = a x + c, rewritten as y = |a|^p x + |c|^p: the weight holds
// |a|^p, the bias |c|^p, and the running statistics become (0, 1 - eps) so that the layer's
// own normalisation is the identity.
template <typename BatchNormImpl>
bool rewrite_batch_norm(torch::nn::Module& m, double p) {
  auto* bn = dynamic_cast<BatchNormImpl*>(&m);
  if (bn == nullptr) return false;
  const double eps = bn->options.eps();
  auto a = bn->weight / torch::sqrt(bn->running_var + eps);
  auto c = bn->bias - a * bn->running_mean;
  bn->weight.copy_(a.abs().pow(p));
  bn->bias.copy_(c.abs().pow(p));
  bn->running_mean.zero_();
  bn->running_var.fill_(1.0 - eps);
  return true;
}

}  // namespace

std::string parameter_owner(const std::string& parameter) {
  const auto dot = parameter.rfind('.');
  return dot == std::string::npos ? parameter : parameter.substr(0, dot);
}

double frobenius_norm(const torch::nn::Module& model) {
  double sum = 0;
  for (const auto& t : model.parameters())
    if (t.requires_grad()) sum += t.detach().to(torch::kFloat64).pow(2).sum().item<double>();
  return std::sqrt(sum);
}

std::vector<std::pair<std::string, double>> layer_frobenius_norms(const torch::nn::Module& model) {
  std::vector<std::pair<std::string, double>> layers;
  std::map<std::string, size_t> index;
  for (const auto& item : model.named_parameters()) {
    if (!item.value().requires_grad()) continue;
    const std::string name = parameter_owner(item.key());
    if (!index.count(name)) {
      index[name] = layers.size();
      layers.emplace_back(name, 0.0);
    }
    layers[index[name]].second += item.value().detach().to(torch::kFloat64).pow(2).sum().item<double>();
  }
  for (auto& [name, sum] : layers) sum = std::sqrt(sum);
  return layers;
}

double path_norm(torch::nn::Module& model, const Forward& forward, double p, const std::vector<int64_t>& input_shape) {
  if (!(p >= 1)) throw input_error("path norm p", std::to_string(p), "p >= 1");
  SavedState restore(model);
  SingleThreadScope one_thread;  // one example: threads only add barriers
  torch::NoGradGuard no_grad;
  // Floating tensors to float64 on the CPU; integer buffers (BN's batch count) keep their type.
  for (auto& t : tensors_of(model))
    if (torch::isFloatingType(t.scalar_type())) t.set_data(t.detach().to(torch::kCPU, torch::kFloat64));
  model.eval();
  // A BatchNorm's parameters are folded into its affine map; every other parameter is |w|^p.
  for (torch::nn::Module* m : module_tree(model)) {
    const bool batch_norm = rewrite_batch_norm<torch::nn::BatchNorm2dImpl>(*m, p) ||
                            rewrite_batch_norm<torch::nn::BatchNorm1dImpl>(*m, p);
    if (!batch_norm)
      for (auto& t : m->parameters(/*recurse=*/false)) t.copy_(t.abs().pow(p));
  }
  const auto ones = torch::ones(input_shape, torch::TensorOptions().dtype(torch::kFloat64));
  const double total = forward(ones).sum().item<double>();
  return std::pow(total, 1.0 / p);
}

}  // namespace bgm
