#pragma once
// What one epoch of a run measured: one row of its metrics.csv.
#include "bgm/measure/evaluate.h"

namespace bgm {

struct EpochMetrics {
  int epoch = 0;
  double lr = 0;
  double running_loss = 0;  ///< mean over the epoch's steps, train mode, augmented input
  double running_acc = 0;
  EvalResult train;         ///< eval mode, un-augmented training set
  EvalResult test;
  double seconds = 0;       ///< since the run started (training and evaluation)
  double images_per_second = 0;  ///< training throughput of this epoch
};

}  // namespace bgm
