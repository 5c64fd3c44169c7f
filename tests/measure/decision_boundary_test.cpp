#include "bgm/measure/decision_boundary.h"

#include <gtest/gtest.h>

#include "bgm/models/mlp.h"

namespace bgm {
namespace {

// Weights set by hand so the logit is x - 0.2 wherever x > -5: the boundary is the line x = 0.2.
ToyMlp vertical_boundary_mlp() {
  ToyMlp m;
  torch::NoGradGuard no_grad;
  for (auto& p : m->parameters()) p.zero_();
  m->fc1->weight[0][0] = 1.0;
  m->fc1->bias[0] = 5.0;  // h1 = relu(x + 5) = x + 5
  m->fc2->weight[0][0] = 1.0;
  m->fc3->weight[0][0] = 1.0;
  m->fc3->bias[0] = -5.2;
  return m;
}

TEST(ToyMlp, ShapesAndParameterCount) {
  ToyMlp m;
  int64_t n = 0;
  for (const auto& p : m->parameters()) n += p.numel();
  EXPECT_EQ(n, 2 * 100 + 100 + 100 * 100 + 100 + 100 + 1);
  EXPECT_EQ(m->forward(torch::zeros({7, 2})).sizes().vec(), (std::vector<int64_t>{7}));
}

TEST(DecisionBoundary, HandSetMlpHasItsBoundaryWhereItWasPut) {
  ToyMlp m = vertical_boundary_mlp();
  auto pts = torch::tensor({{0.0f, 0.0f}, {0.5f, 0.3f}, {0.25f, -0.1f}});
  auto logits = m->forward(pts);
  EXPECT_NEAR(logits[0].item<double>(), -0.2, 1e-5);
  EXPECT_NEAR(logits[1].item<double>(), 0.3, 1e-5);

  const PlaneWindow w{-1, 1, -1, 1};
  auto f = [&](const torch::Tensor& x) { return m->forward(x); };
  auto grid = logit_grid(f, w, 200);
  // Row 0 is the top, column 0 the left: left of x = 0.2 negative, right positive.
  EXPECT_LT(grid[0][0].item<double>(), 0);
  EXPECT_GT(grid[199][199].item<double>(), 0);
  auto boundary = boundary_points(grid, w);
  ASSERT_GT(boundary.size(0), 0);
  EXPECT_NEAR(boundary.select(1, 0).min().item<double>(), 0.2, 1e-4);
  EXPECT_NEAR(boundary.select(1, 0).max().item<double>(), 0.2, 1e-4);
  auto d = distances_to_boundary(boundary, pts);
  EXPECT_NEAR(d[0].item<double>(), 0.2, 0.006);  // to within the grid spacing (0.01)
  EXPECT_NEAR(d[1].item<double>(), 0.3, 0.006);
  EXPECT_NEAR(d[2].item<double>(), 0.05, 0.006);
}

TEST(DecisionBoundary, NoBoundaryInTheWindowIsInfinitelyFar) {
  ToyMlp m = vertical_boundary_mlp();
  const PlaneWindow w{0.5, 1.5, -0.5, 0.5};
  auto f = [&](const torch::Tensor& x) { return m->forward(x); };
  auto d = distances_to_boundary(boundary_points(logit_grid(f, w, 50), w), torch::tensor({{1.0f, 0.0f}}));
  EXPECT_TRUE(std::isinf(d[0].item<double>()));
}

TEST(DecisionBoundary, WindowIsASquareAroundThePoints) {
  const auto w = window_around(torch::tensor({{0.0f, 0.0f}, {2.0f, 1.0f}}), 0.5);
  EXPECT_DOUBLE_EQ(w.x0, -0.5);
  EXPECT_DOUBLE_EQ(w.x1, 2.5);
  EXPECT_DOUBLE_EQ(w.y0, -1.0);
  EXPECT_DOUBLE_EQ(w.y1, 2.0);
}

}  // namespace
}  // namespace bgm
