#pragma once
// Algorithm 1 of the paper: the random-label set whose fit is the adversarial initialization.
// For every training image and r = 1..R: a copy with floor(3072 * zero_out) distinct entries
// (over row, column, channel) set to raw value 0, labelled uniformly at random among C classes.
#include <cstdint>

#include "bgm/data/dataset.h"

namespace bgm {

struct AdversarialSetOptions {
  int replicas = 1;         ///< R, copies per image (>= 1)
  double zero_out = 0.1;    ///< fraction of the 3072 entries zeroed per copy, in [0, 1]
  uint64_t seed = 0;        ///< run seed; the set uses its own stream "algorithm1"
};

/// Entries zeroed per copy: floor(3072 * zero_out), robust to 3072 * 0.1 = 307.2000000001.
int64_t zeroed_entries(double zero_out);

/// The N * R images (copy r of image i at position i * R + r) with random labels in
/// [0, train.num_classes()). Deterministic in (train, options).
Dataset make_adversarial_set(const Dataset& train, const AdversarialSetOptions& options);

}  // namespace bgm
