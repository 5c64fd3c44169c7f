#include "bgm/measure/interpolation.h"

#include "bgm/core/error.h"

namespace bgm {
namespace {

std::vector<torch::Tensor> state_of(const torch::nn::Module& m) {
  std::vector<torch::Tensor> s;
  for (const auto& t : m.parameters()) s.push_back(t.detach());
  for (const auto& t : m.buffers()) s.push_back(t.detach());
  return s;
}

}  // namespace

std::vector<PathPoint> linear_path(const ClassifierImpl& start, const ClassifierImpl& end, ClassifierImpl& scratch,
                                   const Dataset& train, const Dataset& test, const Normalization& norm,
                                   const Compute& compute, int points) {
  if (points < 2) throw input_error("interpolation points", std::to_string(points), "at least 2");
  const auto a = state_of(start), b = state_of(end);
  auto target = state_of(scratch);
  if (a.size() != b.size() || a.size() != target.size())
    throw Error("linear path: the models have different numbers of parameters and buffers");
  std::vector<PathPoint> path;
  for (int i = 0; i < points; ++i) {
    const double alpha = static_cast<double>(i) / (points - 1);
    {
      torch::NoGradGuard no_grad;
      for (size_t k = 0; k < a.size(); ++k) {
        const auto from = a[k].to(target[k].device()), to = b[k].to(target[k].device());
        if (torch::isFloatingType(to.scalar_type()))
          target[k].copy_(from.to(torch::kFloat64) * (1 - alpha) + to.to(torch::kFloat64) * alpha);
        else
          target[k].copy_(to);
      }
    }
    path.push_back({alpha, evaluate(scratch, train, norm, compute), evaluate(scratch, test, norm, compute)});
  }
  return path;
}

}  // namespace bgm
