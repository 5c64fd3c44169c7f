#include "bgm/measure/hessian.h"

#include <gtest/gtest.h>

#include "test_util.h"
#include "tiny_models.h"

namespace bgm {
namespace {

TEST(Hessian, PowerIterationFindsTheLargestEigenvalueOfTheDenseHessian) {
  torch::manual_seed(7);
  auto net_ptr = std::make_shared<test::ChannelMeanNet>();
  auto& net = *net_ptr;
  const Dataset set = test::synthetic_dataset(40, 2, 3);
  Normalization norm;
  norm.mean = {0.5f, 0.5f, 0.5f};
  norm.std = {0.1f, 0.1f, 0.1f};  // spread the channel means so the Hessian is far from 0
  Compute cpu;
  // The dense 8 x 8 Hessian, column by column from Hessian-vector products.
  std::vector<torch::Tensor> shapes;
  for (const auto& p : net.parameters()) shapes.push_back(torch::zeros_like(p));
  std::vector<torch::Tensor> columns;
  for (size_t i = 0; i < shapes.size(); ++i)
    for (int64_t j = 0; j < shapes[i].numel(); ++j) {
      auto e = shapes;
      for (auto& t : e) t = torch::zeros_like(t);
      e[i].view(-1)[j] = 1;
      std::vector<torch::Tensor> flat;
      for (const auto& t : hessian_vector_product(net, set, norm, cpu, e, 16)) flat.push_back(t.flatten());
      columns.push_back(torch::cat(flat).to(torch::kFloat64));
    }
  const auto h = torch::stack(columns, 1);
  ASSERT_EQ(h.size(0), 8);
  EXPECT_LT((h - h.t()).abs().max().item<double>(), 1e-5);  // symmetric
  const auto eig = torch::linalg_eigvalsh(h);
  const double top = eig.abs().max().item<double>() == eig.max().item<double>() ? eig.max().item<double>()
                                                                                 : eig.min().item<double>();
  const auto r = hessian_top_eigenvalue(net, set, norm, cpu, 500, 1e-9, 0, 16);
  EXPECT_NEAR(r.eigenvalue, top, 1e-4 * std::abs(top));
  EXPECT_GT(r.eigenvalue, 0);  // cross-entropy of a linear model is convex
  for (const auto& p : net.parameters()) EXPECT_FALSE(p.grad().defined());
}

}  // namespace
}  // namespace bgm
