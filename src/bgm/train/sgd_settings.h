#pragma once
// What one training run does: the SGD variant, the schedule, and when it stops.
#include <nlohmann/json.hpp>
#include <string>

#include "bgm/train/lr_schedule.h"

namespace bgm {

struct SgdSettings {
  LrSchedule schedule;
  double momentum = 0;
  double weight_decay = 0;   ///< l2, added to the gradient as PyTorch's SGD does
  bool augment = false;      ///< random crop (pad 4) + horizontal flip
  int64_t batch_size = 128;
  /// Drop an incomplete last batch each epoch (the order is reshuffled every epoch, so every
  /// image is still seen). The reference keeps it; a batch of a few images at lr 0.1 makes the
  /// BN running statistics, hence eval-mode accuracy, jump from epoch to epoch.
  bool drop_last = true;

  void validate(const std::string& where) const;
  nlohmann::json to_json() const;
};

/// Vanilla SGD: no momentum, no weight decay, no augmentation.
SgdSettings vanilla_sgd(const LrSchedule& schedule);
/// SOTA SGD: momentum 0.9, weight decay (5e-4 for CIFAR), crop-and-flip augmentation.
SgdSettings sota_sgd(const LrSchedule& schedule, double weight_decay = 5e-4);

/// When a run ends: after max_epochs, or earlier once the training accuracy (eval mode,
/// un-augmented training set) reaches target_train_acc, checked every check_every epochs.
struct StopRule {
  int max_epochs = 1;
  double target_train_acc = -1;  ///< percent; < 0 means "a fixed number of epochs"
  int check_every = 1;

  bool has_target() const { return target_train_acc >= 0; }
  void validate(const std::string& where) const;
  nlohmann::json to_json() const;
};

}  // namespace bgm
