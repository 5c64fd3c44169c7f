#include "bgm/measure/distance.h"

#include <cmath>

namespace bgm {

double relative_distance(const NamedTensors& w1, const NamedTensors& w2) {
  TORCH_CHECK(w1.size() == w2.size(), "relative_distance: ", w1.size(), " vs ", w2.size(), " tensors");
  double diff_sq = 0, norm_sq = 0;
  for (size_t i = 0; i < w1.size(); ++i) {
    TORCH_CHECK(w1[i].first == w2[i].first, "relative_distance: key ", w1[i].first, " vs ", w2[i].first);
    auto a = w1[i].second.detach().to(torch::kCPU, torch::kFloat64);
    auto b = w2[i].second.detach().to(torch::kCPU, torch::kFloat64);
    TORCH_CHECK(a.sizes() == b.sizes(), "relative_distance: shape of ", w1[i].first);
    diff_sq += (a - b).pow(2).sum().item<double>();
    norm_sq += b.pow(2).sum().item<double>();
  }
  TORCH_CHECK(norm_sq > 0, "relative_distance: the second weight set has norm 0");
  return std::sqrt(diff_sq / norm_sq);
}

}  // namespace bgm
