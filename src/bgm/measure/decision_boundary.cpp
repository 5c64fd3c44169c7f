#include "bgm/measure/decision_boundary.h"

#include <limits>

namespace bgm {

PlaneWindow window_around(const torch::Tensor& points, double pad) {
  const auto lo = std::get<0>(points.min(0)), hi = std::get<0>(points.max(0));
  const double cx = 0.5 * (lo[0].item<double>() + hi[0].item<double>());
  const double cy = 0.5 * (lo[1].item<double>() + hi[1].item<double>());
  const double half = 0.5 * std::max((hi[0] - lo[0]).item<double>(), (hi[1] - lo[1]).item<double>()) + pad;
  return {cx - half, cx + half, cy - half, cy + half};
}

namespace {

// Pixel-centre coordinates: xs left to right, ys top to bottom.
std::pair<torch::Tensor, torch::Tensor> grid_axes(const PlaneWindow& w, int64_t res) {
  auto steps = (torch::arange(res, torch::kFloat64) + 0.5) / static_cast<double>(res);
  return {w.x0 + steps * (w.x1 - w.x0), w.y1 - steps * (w.y1 - w.y0)};
}

}  // namespace

torch::Tensor logit_grid(const PlaneFunction& f, const PlaneWindow& w, int64_t res) {
  torch::NoGradGuard no_grad;
  auto [xs, ys] = grid_axes(w, res);
  auto mesh = torch::meshgrid({ys, xs}, "ij");  // mesh[0]: y per (row, col), mesh[1]: x
  auto points = torch::stack({mesh[1].reshape(-1), mesh[0].reshape(-1)}, 1).to(torch::kFloat32);
  // In chunks: a million points at once made the 100-wide hidden layers 400 MB each and ran
  // ~5x slower than chunks that stay in cache.
  std::vector<torch::Tensor> parts;
  for (const auto& chunk : points.split(8192)) parts.push_back(f(chunk));
  return torch::cat(parts).reshape({res, res}).to(torch::kFloat64);
}

torch::Tensor boundary_points(const torch::Tensor& grid, const PlaneWindow& w) {
  const int64_t res = grid.size(0);
  auto [xs, ys] = grid_axes(w, res);
  auto mesh = torch::meshgrid({ys, xs}, "ij");
  auto gy = mesh[0], gx = mesh[1];
  auto crossings = [&](int64_t dim) {
    const int64_t n = res - 1;
    auto v0 = grid.narrow(dim, 0, n), v1 = grid.narrow(dim, 1, n);
    auto mask = (v0 >= 0).ne(v1 >= 0);
    auto t = (v0 / (v0 - v1)).masked_select(mask);
    auto x0 = gx.narrow(dim, 0, n).masked_select(mask), x1 = gx.narrow(dim, 1, n).masked_select(mask);
    auto y0 = gy.narrow(dim, 0, n).masked_select(mask), y1 = gy.narrow(dim, 1, n).masked_select(mask);
    return torch::stack({x0 + t * (x1 - x0), y0 + t * (y1 - y0)}, 1);
  };
  return torch::cat({crossings(1), crossings(0)}, 0);
}

torch::Tensor distances_to_boundary(const torch::Tensor& boundary, const torch::Tensor& points) {
  const auto p = points.to(torch::kFloat64);
  if (boundary.size(0) == 0)
    return torch::full({p.size(0)}, std::numeric_limits<double>::infinity(), torch::kFloat64);
  return std::get<0>(torch::cdist(p, boundary.to(torch::kFloat64)).min(1));
}

}  // namespace bgm
