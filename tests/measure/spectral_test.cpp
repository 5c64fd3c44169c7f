#include "bgm/measure/spectral.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tiny_models.h"

namespace bgm {
namespace {

// The convolution as a dense matrix, one column per input basis vector.
torch::Tensor dense_operator(const torch::Tensor& w, const ConvGeometry& g) {
  const int64_t n = g.input_shape[1] * g.input_shape[2] * g.input_shape[3];
  std::vector<torch::Tensor> columns;
  for (int64_t j = 0; j < n; ++j) {
    auto e = torch::zeros({n}, torch::kFloat64);
    e[j] = 1;
    columns.push_back(torch::conv2d(e.view(g.input_shape), w, {}, g.stride, g.padding, g.dilation, g.groups).flatten());
  }
  return torch::stack(columns, 1);
}

TEST(SpectralNorm, ConvPowerIterationMatchesTheDenseOperator) {
  torch::manual_seed(3);
  const auto w = torch::randn({3, 2, 3, 3}, torch::kFloat64);
  for (const ConvGeometry& g : {ConvGeometry{{1, 2, 5, 5}, {2, 2}, {1, 1}, {1, 1}, 1},
                                ConvGeometry{{1, 2, 6, 6}, {1, 1}, {1, 1}, {1, 1}, 1},
                                ConvGeometry{{1, 2, 6, 6}, {1, 1}, {0, 0}, {2, 2}, 1}}) {
    const double exact = torch::linalg_svdvals(dense_operator(w, g)).max().item<double>();
    EXPECT_NEAR(conv_operator_norm(w, g, 2000, 1e-9), exact, 1e-3) << "stride " << g.stride[0];
  }
}

TEST(SpectralNorm, EveryLayerOfAModelOnTheInputItSees) {
  torch::manual_seed(4);
  auto net_ptr = std::make_shared<test::TinyConvNet>();  // compute_for needs a shared_ptr
  auto& net = *net_ptr;
  {
    torch::NoGradGuard no_grad;
    net.bn1->running_var.copy_(torch::tensor({1.0f, 4.0f, 0.25f, 9.0f}));
    net.bn1->weight.copy_(torch::tensor({1.0f, -3.0f, 0.5f, 2.0f}));
  }
  Forward f = [&](const torch::Tensor& x) { return net.forward(x); };
  const auto s = spectral_norms(net, f, {1, 3, 8, 8}, 500, 1e-9);
  ASSERT_EQ(s.layers.size(), 4u);
  EXPECT_EQ(s.layers[0].layer, "conv1");
  EXPECT_EQ(s.layers[1].kind, "batchnorm");
  EXPECT_EQ(s.layers[2].layer, "conv2");
  EXPECT_EQ(s.layers[3].kind, "linear");
  // conv2 sees conv1's 4x4 output, not the 8x8 image.
  EXPECT_DOUBLE_EQ(s.layers[2].norm, conv_operator_norm(net.conv2->weight, {{1, 4, 4, 4}, {1, 1}, {1, 1}, {1, 1}, 1}, 500, 1e-9));
  EXPECT_DOUBLE_EQ(s.layers[0].norm, conv_operator_norm(net.conv1->weight, {{1, 3, 8, 8}, {2, 2}, {1, 1}, {1, 1}, 1}, 500, 1e-9));
  // BN: max |gamma| / sqrt(var + eps) = 3 / 2.
  EXPECT_NEAR(s.layers[1].norm, 3 / std::sqrt(4 + 1e-5), 1e-6);
  EXPECT_NEAR(s.layers[3].norm, torch::linalg_svdvals(net.fc->weight.to(torch::kFloat64)).max().item<double>(), 1e-12);
  double logs = 0;
  for (const auto& l : s.layers) logs += std::log(l.norm);
  EXPECT_DOUBLE_EQ(s.log_product, logs);
  EXPECT_TRUE(net.is_training());
}

}  // namespace
}  // namespace bgm
