#pragma once
// One SGD step as every bgm run takes it: the batch drawn from the set (a derived set makes its
// images here), augmented in uint8, turned into the model's input, the forward pass under
// autocast, the cross-entropy in fp32, backward, the update. The trainer and the benchmark
// (bench/) both call it, so what is measured is what trains.
#include <torch/torch.h>

#include <vector>

#include "bgm/core/compute.h"
#include "bgm/core/random.h"
#include "bgm/data/dataset.h"
#include "bgm/models/classifier.h"
#include "bgm/train/data_parallel.h"
#include "bgm/train/sgd_settings.h"

namespace bgm {

/// The step's outputs, left on the device (reading them waits for it).
struct StepResult {
  torch::Tensor loss;     ///< the batch's mean loss, detached
  torch::Tensor correct;  ///< int64 count of right predictions (made before the update)
};

/// SGD over the model's parameters with the setting's momentum and weight decay, at the
/// schedule's epoch-1 lr.
torch::optim::SGD make_sgd(ClassifierImpl& model, const SgdSettings& sgd);

/// One step on the images `batch` of `set`; augments with augment_rng if sgd.augment. With
/// `parallel`, `batch` is the global batch, drawn and augmented alike on every rank (the same
/// random draws as one process), and this rank trains on its share of it: its loss is weighted
/// by its share and the gradients are summed over the ranks before the update. The result is
/// then this rank's part: the ranks' losses sum to the global batch's mean loss.
StepResult sgd_step(ClassifierImpl& model, torch::optim::SGD& opt, const Dataset& set,
                    const std::vector<int64_t>& batch, const Normalization& norm, const SgdSettings& sgd,
                    Rng& augment_rng, const Compute& compute, const DataParallel* parallel = nullptr);

}  // namespace bgm
