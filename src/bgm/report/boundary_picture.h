#pragma once
// One panel of Figure 1: the plane coloured by a 2-D classifier's output probability, its 0.5
// level drawn in black, and the training points marked - fill colour by the label trained on,
// shape by the true class (circle: class 0, square: class 1).
#include <torch/torch.h>

#include "bgm/data/image_decode.h"
#include "bgm/measure/decision_boundary.h"

namespace bgm {

/// grid: (res, res) logits from logit_grid over w; points (N, 2); labels and true_classes (N)
/// in {0, 1}. Returns a res x res RGB image.
RgbImage boundary_picture(const torch::Tensor& grid, const PlaneWindow& w, const torch::Tensor& points,
                          const torch::Tensor& labels, const torch::Tensor& true_classes);

/// Panels placed side by side with a white gap (all the same height).
RgbImage side_by_side(const std::vector<RgbImage>& panels, int gap);
/// The rows one above the other, `gap` white pixels apart, left-aligned on a white background.
RgbImage stacked(const std::vector<RgbImage>& rows, int gap);

}  // namespace bgm
