#pragma once
// The paper's per-data-set training defaults (PAPER.md, "Training on the true labels"):
// weight decay 5e-4 for CIFAR-10/100 and Restricted ImageNet, 1e-4 for CINIC-10; the CIFAR
// schedule (x0.1 after epochs 150 and 250, 350 epochs) or, for CINIC-10 and Restricted
// ImageNet, x0.1 after 150 and 225, 300 epochs. Studies apply these unless a flag overrides them.
#include <string>

#include "bgm/train/lr_schedule.h"

namespace bgm {

struct DatasetProtocol {
  double weight_decay = 5e-4;  ///< of the l2 modes (SOTA SGD included)
  LrSchedule schedule;         ///< multi-step, base lr 0.1
  int epochs = 350;            ///< length of every true-label run

  /// The protocol's schedule starting from base_lr (an --lr given by the user is kept).
  LrSchedule schedule_from(double base_lr) const {
    LrSchedule s = schedule;
    s.base_lr = base_lr;
    return s;
  }
};

/// The protocol for a data set by its DataSplits::name ("cifar10", "cifar100", "cinic10",
/// "restricted_imagenet"); any other set (an image folder) gets CIFAR's.
DatasetProtocol paper_protocol(const std::string& dataset_name);

}  // namespace bgm
