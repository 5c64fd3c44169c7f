#pragma once
// Robustness to the Fast Gradient Sign attack (Figure 6): x' = clip(x + eps sign(grad_x loss(f(x),
// y)), 0, 1) in pixel space, the normalization inside the model, the model in eval mode (its BN
// running statistics untouched), true labels, one gradient per image for every eps.
#include <vector>

#include "bgm/core/compute.h"
#include "bgm/data/dataset.h"
#include "bgm/models/classifier.h"

namespace bgm {

/// The attacked batch: pixels (B, 3, H, W) in [0, 1] (a data set's bytes are (B, H, W, 3)), float32, on the model's device. eps = 0
/// returns the pixels themselves. Parameters' .grad are not touched.
torch::Tensor fgsm_perturb(ClassifierImpl& model, const torch::Tensor& pixels, const torch::Tensor& labels,
                           const Normalization& norm, double eps);

/// Test accuracy in percent under FGSM for each eps (in pixel units: 4/255 is 4 grey levels),
/// in fp32 whatever compute.precision says. The model's train/eval mode is restored after.
std::vector<double> fgsm_accuracies(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                                    const Compute& compute, const std::vector<double>& eps, int64_t batch_size = 128);

}  // namespace bgm
