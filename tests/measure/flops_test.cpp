#include "bgm/measure/flops.h"

#include <gtest/gtest.h>

#include "bgm/models/model_zoo.h"
#include "tiny_models.h"

namespace bgm {
namespace {

// ResNet18 (PAPER.md) at width w on 32x32 images, written out stage by stage: 2 FLOPs per
// multiply-accumulate of each convolution, at the output size each stage works at.
double resnet18_flops_by_hand(double w, double classes) {
  auto conv = [](double side, double k, double in, double out) { return 2 * side * side * k * k * in * out; };
  double f = conv(32, 3, 3, w);                                   // stem
  f += 4 * conv(32, 3, w, w);                                     // layer1: two blocks of two convs
  f += conv(16, 3, w, 2 * w) + 3 * conv(16, 3, 2 * w, 2 * w) + conv(16, 1, w, 2 * w);              // layer2
  f += conv(8, 3, 2 * w, 4 * w) + 3 * conv(8, 3, 4 * w, 4 * w) + conv(8, 1, 2 * w, 4 * w);         // layer3
  f += conv(4, 3, 4 * w, 8 * w) + 3 * conv(4, 3, 8 * w, 8 * w) + conv(4, 1, 4 * w, 8 * w);         // layer4
  return f + 2 * 8 * w * classes;                                 // linear
}

}  // namespace

TEST(Flops, TinyNetCountedConvolutionByConvolution) {
  test::TinyConvNet net(3);
  const auto f = count_forward_flops(net, {1, 3, 32, 32});
  // conv1 (stride 2): 16x16x4 outputs of 2*3*9 FLOPs; conv2: 16x16x4 of 2*4*9; fc: 2*4*3.
  EXPECT_EQ(f.flops, 16 * 16 * 4 * 54 + 16 * 16 * 4 * 72 + 24);
  EXPECT_EQ(f.convolutions, 2);
  EXPECT_EQ(f.matrix_products, 1);
  EXPECT_TRUE(net.is_training());  // the mode is restored
}

TEST(Flops, ResNet18MatchesTheStageByStageCount) {
  for (int64_t width : {16, 64}) {
    auto model = make_model({"resnet18", 10, width});
    const auto f = count_forward_flops(*model, {1, 3, 32, 32});
    EXPECT_EQ(f.flops, resnet18_flops_by_hand(static_cast<double>(width), 10)) << "width " << width;
    EXPECT_EQ(f.convolutions, 20);  // 1 stem + 16 in blocks + 3 shortcuts
    EXPECT_EQ(f.matrix_products, 1);
  }
  // The paper's ResNet18: about 0.56 G multiply-accumulates per 32x32 image.
  auto paper = make_model({"resnet18", 10, 64});
  EXPECT_NEAR(count_forward_flops(*paper, {1, 3, 32, 32}).flops / 2e9, 0.555, 0.001);
  // A batch counts every image.
  EXPECT_EQ(count_forward_flops(*paper, {4, 3, 32, 32}).flops, 4 * resnet18_flops_by_hand(64, 10));
}

}  // namespace bgm
