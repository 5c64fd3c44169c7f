#include "bgm/measure/fgsm.h"

#include <gtest/gtest.h>

#include "bgm/measure/evaluate.h"
#include "test_util.h"
#include "tiny_models.h"

namespace bgm {
namespace {

Normalization cifar() {
  Normalization n;
  n.mean = {0.4914f, 0.4822f, 0.4465f};
  n.std = {0.2023f, 0.1994f, 0.2010f};
  return n;
}

TEST(Fgsm, EpsZeroIsTheCleanAccuracyAndBatchNormIsUntouched) {
  torch::manual_seed(5);
  auto net_ptr = std::make_shared<test::TinyConvNet>();  // compute_for needs a shared_ptr
  auto& net = *net_ptr;
  {
    torch::NoGradGuard no_grad;
    net.bn1->running_mean.copy_(torch::tensor({0.1f, -0.2f, 0.3f, 0.0f}));
    net.bn1->running_var.copy_(torch::tensor({2.0f, 0.5f, 1.0f, 3.0f}));
  }
  net.train();
  const Dataset set = test::synthetic_dataset(60, 3, 1);
  const auto mean = net.bn1->running_mean.clone(), var = net.bn1->running_var.clone();
  const auto tracked = net.bn1->num_batches_tracked.clone();
  Compute cpu;
  const auto acc = fgsm_accuracies(net, set, cifar(), cpu, {0.0, 2 / 255.0, 8 / 255.0}, 16);
  ASSERT_EQ(acc.size(), 3u);
  EXPECT_DOUBLE_EQ(acc[0], evaluate(net, set, cifar(), cpu).accuracy);
  EXPECT_TRUE(torch::equal(net.bn1->running_mean, mean));
  EXPECT_TRUE(torch::equal(net.bn1->running_var, var));
  EXPECT_TRUE(torch::equal(net.bn1->num_batches_tracked, tracked));
  EXPECT_TRUE(net.is_training());
  for (const auto& p : net.parameters()) EXPECT_FALSE(p.grad().defined());
}

TEST(Fgsm, PerturbedPixelsStayInRangeAndMoveByAtMostEps) {
  torch::manual_seed(6);
  auto net_ptr = std::make_shared<test::TinyConvNet>();  // compute_for needs a shared_ptr
  auto& net = *net_ptr;
  net.eval();
  const Dataset set = test::synthetic_dataset(8, 3, 2);
  auto pixels = set.images.permute({0, 3, 1, 2}).to(torch::kFloat32).div(255.0).contiguous();
  pixels.index_put_({0}, 1.0);  // saturated images: the clip must hold them
  pixels.index_put_({1}, 0.0);
  const double eps = 4 / 255.0;
  const auto attacked = fgsm_perturb(net, pixels, set.labels, cifar(), eps);
  EXPECT_GE(attacked.min().item<double>(), 0.0);
  EXPECT_LE(attacked.max().item<double>(), 1.0);
  const auto moved = (attacked - pixels).abs();
  EXPECT_LE(moved.max().item<double>(), eps + 1e-6);
  // Away from the bounds every pixel with a gradient moves by exactly eps.
  const auto inside = (pixels > eps) & (pixels < 1 - eps);
  EXPECT_NEAR(moved.masked_select(inside).max().item<double>(), eps, 1e-6);
  EXPECT_TRUE(torch::equal(fgsm_perturb(net, pixels, set.labels, cifar(), 0.0), pixels));
}

}  // namespace
}  // namespace bgm
