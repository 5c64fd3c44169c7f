#pragma once
// The paper's relative distance between two weight sets (Table 1).
#include "bgm/models/model_state.h"

namespace bgm {

/// d(W1, W2) = ||W1 - W2||_F / ||W2||_F over all trainable parameters flattened into one vector
/// (BN running statistics excluded), normalised by the SECOND argument as the paper's columns
/// are written. Both sets must have the same keys and shapes, in the same order.
double relative_distance(const NamedTensors& w1, const NamedTensors& w2);

}  // namespace bgm
