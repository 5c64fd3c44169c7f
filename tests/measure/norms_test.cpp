#include "bgm/measure/norms.h"

#include <gtest/gtest.h>

#include <cmath>

namespace bgm {
namespace {

namespace nn = torch::nn;

// PAPER.md's 2-2-1 MLP: W1 = [[1, -2], [3, 4]], W2 = [[1, -1]], no biases.
nn::Sequential paper_mlp() {
  nn::Sequential net(nn::Linear(nn::LinearOptions(2, 2).bias(false)), nn::ReLU(),
                     nn::Linear(nn::LinearOptions(2, 1).bias(false)));
  torch::NoGradGuard no_grad;
  net[0]->as<nn::Linear>()->weight.copy_(torch::tensor({{1.0f, -2.0f}, {3.0f, 4.0f}}));
  net[2]->as<nn::Linear>()->weight.copy_(torch::tensor({{1.0f, -1.0f}}));
  return net;
}

TEST(PathNorm, PapersTwoTwoOneMlp) {
  auto net = paper_mlp();
  Forward f = [&](const torch::Tensor& x) { return net->forward(x); };
  EXPECT_NEAR(path_norm(*net, f, 2, {1, 2}), std::sqrt(30.0), 1e-12);
  EXPECT_NEAR(path_norm(*net, f, 1, {1, 2}), 10.0, 1e-12);
  // The weights are unchanged afterwards.
  EXPECT_TRUE(torch::equal(net[0]->as<nn::Linear>()->weight, torch::tensor({{1.0f, -2.0f}, {3.0f, 4.0f}})));
  EXPECT_EQ(net[0]->as<nn::Linear>()->weight.scalar_type(), torch::kFloat32);
}

TEST(PathNorm, BatchNormIsItsAffineMapWithSetRunningStatistics) {
  nn::Sequential net(nn::Linear(nn::LinearOptions(2, 2).bias(false)), nn::BatchNorm1d(2),
                     nn::Linear(nn::LinearOptions(2, 1).bias(false)));
  auto* bn = net[1]->as<nn::BatchNorm1d>();
  {
    torch::NoGradGuard no_grad;
    net[0]->as<nn::Linear>()->weight.copy_(torch::tensor({{1.0f, -2.0f}, {3.0f, 4.0f}}));
    net[2]->as<nn::Linear>()->weight.copy_(torch::tensor({{1.0f, -1.0f}}));
    bn->weight.copy_(torch::tensor({2.0f, -1.0f}));
    bn->bias.copy_(torch::tensor({0.5f, 1.0f}));
    bn->running_mean.copy_(torch::tensor({1.0f, -2.0f}));
    bn->running_var.copy_(torch::tensor({3.0f, 0.25f}));
  }
  net->train();
  Forward f = [&](const torch::Tensor& x) { return net->forward(x); };
  // By hand, p = 2: h = |W1|^2 1 = (5, 25); a = gamma / sqrt(var + eps), c = beta - a mean;
  // out = |W2|^2 (a^2 h + c^2).
  const double eps = 1e-5;
  const double a0 = 2 / std::sqrt(3 + eps), a1 = -1 / std::sqrt(0.25 + eps);
  const double c0 = 0.5 - a0 * 1, c1 = 1 - a1 * -2;
  const double l2 = std::sqrt(a0 * a0 * 5 + c0 * c0 + a1 * a1 * 25 + c1 * c1);
  EXPECT_NEAR(path_norm(*net, f, 2, {1, 2}), l2, 1e-6);
  // p = 1: h = (3, 7), out = |a0| 3 + |c0| + |a1| 7 + |c1|.
  EXPECT_NEAR(path_norm(*net, f, 1, {1, 2}), std::abs(a0) * 3 + std::abs(c0) + std::abs(a1) * 7 + std::abs(c1), 1e-6);
  // Running statistics and the train/eval mode are restored.
  EXPECT_TRUE(torch::equal(bn->running_var, torch::tensor({3.0f, 0.25f})));
  EXPECT_TRUE(torch::equal(bn->weight, torch::tensor({2.0f, -1.0f})));
  EXPECT_TRUE(net->is_training());
}

TEST(FrobeniusNorm, AllParametersAndPerLayer) {
  auto net = paper_mlp();
  EXPECT_DOUBLE_EQ(frobenius_norm(*net), std::sqrt(1.0 + 4 + 9 + 16 + 1 + 1));
  const auto layers = layer_frobenius_norms(*net);
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].first, "0");
  EXPECT_DOUBLE_EQ(layers[0].second, std::sqrt(30.0));
  EXPECT_EQ(layers[1].first, "2");
  EXPECT_DOUBLE_EQ(layers[1].second, std::sqrt(2.0));
}

TEST(FrobeniusNorm, CountsBiasesWithTheirLayerAndSkipsBuffers) {
  nn::Linear fc(2, 1);
  nn::BatchNorm1d bn(1);
  torch::NoGradGuard no_grad;
  fc->weight.copy_(torch::tensor({{3.0f, 0.0f}}));
  fc->bias.fill_(4);
  bn->running_mean.fill_(100);  // a buffer, not a parameter
  EXPECT_DOUBLE_EQ(frobenius_norm(*fc), 5.0);
  EXPECT_DOUBLE_EQ(frobenius_norm(*bn), std::sqrt(1.0));  // gamma = 1, beta = 0
}

}  // namespace
}  // namespace bgm
