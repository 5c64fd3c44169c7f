#pragma once
// The straight line between two weight sets of one architecture (beyond the paper): training
// loss and test accuracy at W(alpha) = (1 - alpha) W_start + alpha W_end, e.g. from W0A to WVA,
// to see whether vanilla SGD crossed a barrier or slid down a slope.
#include <vector>

#include "bgm/core/compute.h"
#include "bgm/data/dataset.h"
#include "bgm/measure/evaluate.h"
#include "bgm/models/classifier.h"

namespace bgm {

struct PathPoint {
  double alpha = 0;
  EvalResult train, test;
};

/// `points` evenly spaced alphas from 0 to 1 (11: 0, 0.1, .., 1). Every parameter and floating
/// buffer (BN running mean and variance) is interpolated; integer buffers are the end's.
/// `scratch` (the same architecture, placed on the compute's device) receives each W(alpha);
/// start and end are not changed.
std::vector<PathPoint> linear_path(const ClassifierImpl& start, const ClassifierImpl& end, ClassifierImpl& scratch,
                                   const Dataset& train, const Dataset& test, const Normalization& norm,
                                   const Compute& compute, int points = 11);

}  // namespace bgm
