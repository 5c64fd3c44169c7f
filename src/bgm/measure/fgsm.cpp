#include "bgm/measure/fgsm.h"

#include "bgm/data/batches.h"

namespace bgm {
namespace {

// (pixels - mean) / std, as to_model_input computes it from bytes: shift + pixels * (1 / std).
torch::Tensor normalized(const torch::Tensor& pixels, const Normalization& norm) {
  std::vector<float> scale(3), shift(3);
  for (int c = 0; c < 3; ++c) {
    scale[c] = 1.0f / norm.std[c];
    shift[c] = -norm.mean[c] / norm.std[c];
  }
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(pixels.device());
  return torch::addcmul(torch::tensor(shift, opts).view({1, 3, 1, 1}), pixels,
                        torch::tensor(scale, opts).view({1, 3, 1, 1}));
}

torch::Tensor sum_loss(ClassifierImpl& model, const torch::Tensor& pixels, const torch::Tensor& labels,
                       const Normalization& norm) {
  return torch::nn::functional::cross_entropy(
      model.forward(normalized(pixels, norm)), labels,
      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
}

}  // namespace

torch::Tensor fgsm_perturb(ClassifierImpl& model, const torch::Tensor& pixels, const torch::Tensor& labels,
                           const Normalization& norm, double eps) {
  if (eps == 0) return pixels;
  auto x = pixels.detach().requires_grad_(true);
  const auto grad = torch::autograd::grad({sum_loss(model, x, labels, norm)}, {x})[0];
  return (pixels + eps * grad.sign()).clamp(0.0, 1.0).detach();
}

std::vector<double> fgsm_accuracies(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                                    const Compute& requested, const std::vector<double>& eps, int64_t batch_size) {
  const Compute compute = compute_for(model, requested);
  const bool was_training = model.is_training();
  model.eval();
  std::vector<int64_t> correct(eps.size(), 0);
  for (int64_t start = 0; start < set.size(); start += batch_size) {
    const int64_t len = std::min(batch_size, set.size() - start);
    const auto bytes = set.slice(start, len);  // (B, H, W, 3) uint8
    auto pixels = bytes.to(compute.device).permute({0, 3, 1, 2}).to(torch::kFloat32).div(255.0);
    pixels = compute.channels_last ? pixels.contiguous(torch::MemoryFormat::ChannelsLast) : pixels.contiguous();
    const auto y = set.labels.narrow(0, start, len).to(compute.device);
    auto x = pixels.detach().requires_grad_(true);
    const auto grad = torch::autograd::grad({sum_loss(model, x, y, norm)}, {x})[0].sign();
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < eps.size(); ++i) {
      // eps = 0 is the clean batch, normalised exactly as evaluate() does: the clean predictions.
      const auto input = eps[i] == 0 ? to_model_input(bytes, norm, compute.device, compute.channels_last)
                                     : normalized((pixels + eps[i] * grad).clamp(0.0, 1.0), norm);
      correct[i] += model.forward(input).argmax(1).eq(y).sum().item<int64_t>();
    }
  }
  model.train(was_training);
  std::vector<double> acc;
  for (int64_t c : correct) acc.push_back(set.size() > 0 ? 100.0 * static_cast<double>(c) / static_cast<double>(set.size()) : 0.0);
  return acc;
}

}  // namespace bgm
