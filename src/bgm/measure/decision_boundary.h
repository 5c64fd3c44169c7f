#pragma once
// A 2-D classifier's decision boundary (the 0.5 level of its sigmoid output, i.e. logit 0) on a
// window of the plane: its output on a grid, and each point's distance to the boundary - the
// margin the paper's Figure 1 shows.
#include <torch/torch.h>

#include <functional>

namespace bgm {

/// An axis-aligned window of the plane; x is the first coordinate, y the second.
struct PlaneWindow {
  double x0 = -1, x1 = 1, y0 = -1, y1 = 1;
};

/// A square window centred on the points' bounding box, its side the box's larger side plus
/// 2 * pad.
PlaneWindow window_around(const torch::Tensor& points, double pad);

using PlaneFunction = std::function<torch::Tensor(const torch::Tensor&)>;  ///< (B, 2) -> (B) logits

/// f at the centres of a res x res grid over w: (res, res), row 0 at the top (y1), column 0 at
/// the left (x0), like an image.
torch::Tensor logit_grid(const PlaneFunction& f, const PlaneWindow& w, int64_t res);

/// Where the grid's logits change sign between horizontal or vertical neighbours, the crossing
/// found by linear interpolation: (M, 2) points of the boundary inside the window.
torch::Tensor boundary_points(const torch::Tensor& grid, const PlaneWindow& w);

/// Each point's distance to the nearest boundary point, (N); +infinity where the window holds
/// no boundary. Accurate to a fraction of the grid spacing.
torch::Tensor distances_to_boundary(const torch::Tensor& boundary, const torch::Tensor& points);

}  // namespace bgm
