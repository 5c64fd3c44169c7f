#include "bgm/measure/hessian.h"

#include <cmath>

#include "bgm/core/exact_fp32.h"
#include "bgm/core/random.h"
#include "bgm/data/batches.h"

namespace bgm {
namespace {

std::vector<torch::Tensor> trainable(ClassifierImpl& model) {
  std::vector<torch::Tensor> params;
  for (auto& p : model.parameters())
    if (p.requires_grad()) params.push_back(p);
  return params;
}

double dot(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += (a[i].to(torch::kFloat64) * b[i].to(torch::kFloat64)).sum().item<double>();
  return sum;
}

}  // namespace

std::vector<torch::Tensor> hessian_vector_product(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                                                  const Compute& requested, const std::vector<torch::Tensor>& v,
                                                  int64_t batch_size) {
  const Compute compute = compute_for(model, requested);
  const bool was_training = model.is_training();
  model.eval();
  const auto params = trainable(model);
  std::vector<torch::Tensor> hv;
  for (const auto& p : params) hv.push_back(torch::zeros_like(p));
  for (int64_t start = 0; start < set.size(); start += batch_size) {
    const int64_t len = std::min(batch_size, set.size() - start);
    auto x = to_model_input(set.slice(start, len), norm, compute.device, compute.channels_last);
    auto y = set.labels.narrow(0, start, len).to(compute.device);
    // This batch's share of the mean loss over the whole set.
    auto loss = torch::nn::functional::cross_entropy(
                    model.forward(x), y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
                static_cast<double>(set.size());
    auto grads = torch::autograd::grad({loss}, params, {}, /*retain_graph=*/true, /*create_graph=*/true);
    auto gv = torch::zeros({}, grads[0].options());
    for (size_t i = 0; i < grads.size(); ++i) gv = gv + (grads[i] * v[i]).sum();
    auto part = torch::autograd::grad({gv}, params);
    for (size_t i = 0; i < hv.size(); ++i) hv[i] += part[i].detach();
  }
  model.train(was_training);
  return hv;
}

HessianEigen hessian_top_eigenvalue(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                                    const Compute& compute, int iterations, double tolerance, uint64_t seed,
                                    int64_t batch_size) {
  ExactFp32Scope fp32;
  auto gen = at::detail::createCPUGenerator(derive_seed(seed, "hessian"));
  std::vector<torch::Tensor> v;
  for (const auto& p : trainable(model))
    v.push_back(torch::randn(p.sizes(), gen, torch::TensorOptions().dtype(torch::kFloat32)).to(p.device()));
  auto scale = [](std::vector<torch::Tensor>& t, double s) {
    for (auto& x : t) x.mul_(s);
  };
  scale(v, 1.0 / std::sqrt(dot(v, v)));
  HessianEigen r;
  for (r.iterations = 1; r.iterations <= iterations; ++r.iterations) {
    auto hv = hessian_vector_product(model, set, norm, compute, v, batch_size);
    const double rayleigh = dot(v, hv);  // v has unit norm
    const double length = std::sqrt(dot(hv, hv));
    r.converged = r.iterations > 1 && std::abs(rayleigh - r.eigenvalue) <= tolerance * std::abs(rayleigh);
    r.eigenvalue = rayleigh;
    if (r.converged || length == 0) break;
    scale(hv, 1.0 / length);
    v = hv;
  }
  r.iterations = std::min(r.iterations, iterations);
  return r;
}

}  // namespace bgm
