#include "bgm/measure/interpolation.h"

#include <gtest/gtest.h>

#include "test_util.h"
#include "tiny_models.h"

namespace bgm {
namespace {

TEST(LinearPath, EndsAreTheModelsAndTheMiddleIsTheirMean) {
  torch::manual_seed(8);
  auto start_ptr = std::make_shared<test::TinyConvNet>(), end_ptr = std::make_shared<test::TinyConvNet>(),
       scratch_ptr = std::make_shared<test::TinyConvNet>();
  auto &start = *start_ptr, &end = *end_ptr, &scratch = *scratch_ptr;
  {
    torch::NoGradGuard no_grad;
    end.bn1->running_var.fill_(4.0);
  }
  const Dataset train = test::synthetic_dataset(30, 3, 4), test_set = test::synthetic_dataset(20, 3, 5);
  Normalization norm;
  norm.mean = {0.5f, 0.5f, 0.5f};
  norm.std = {0.25f, 0.25f, 0.25f};
  Compute cpu;
  const auto path = linear_path(start, end, scratch, train, test_set, norm, cpu, 3);
  ASSERT_EQ(path.size(), 3u);
  EXPECT_DOUBLE_EQ(path[1].alpha, 0.5);
  EXPECT_NEAR(path[0].train.loss, evaluate(start, train, norm, cpu).loss, 1e-6);
  EXPECT_NEAR(path[2].train.loss, evaluate(end, train, norm, cpu).loss, 1e-6);
  EXPECT_DOUBLE_EQ(path[2].test.accuracy, evaluate(end, test_set, norm, cpu).accuracy);
  // scratch holds the last point, W(1) = end, buffers included.
  EXPECT_TRUE(torch::allclose(scratch.conv2->weight, end.conv2->weight));
  EXPECT_TRUE(torch::allclose(scratch.bn1->running_var, end.bn1->running_var));
  // The midpoint is the model whose parameters and running statistics are the two's mean.
  auto mean_ptr = std::make_shared<test::TinyConvNet>();
  auto& mean = *mean_ptr;
  {
    torch::NoGradGuard no_grad;
    auto a = start.parameters(), b = end.parameters(), m = mean.parameters();
    for (size_t i = 0; i < m.size(); ++i) m[i].copy_((a[i] + b[i]) / 2);
    mean.bn1->running_mean.copy_((start.bn1->running_mean + end.bn1->running_mean) / 2);
    mean.bn1->running_var.copy_((start.bn1->running_var + end.bn1->running_var) / 2);
  }
  EXPECT_NEAR(path[1].train.loss, evaluate(mean, train, norm, cpu).loss, 1e-5);
  EXPECT_TRUE(start.bn1->running_var.eq(1.0).all().item<bool>());  // start unchanged
}

}  // namespace
}  // namespace bgm
