#pragma once
// Algorithm 1 of the paper: the random-label set whose fit is the adversarial initialization.
// For every training image and r = 1..R: a copy with floor(3072 * zero_out) distinct entries
// (over row, column, channel) set to raw value 0, labelled uniformly at random among C classes.
//
// The set is virtual: it stores the N training images and the N * R labels, and makes copy j's
// zeroed entries when a batch draws it, from the seed and j alone (its own random stream), so
// the memory does not grow with R beyond the labels and any copy can be made in any order.
#include <cstdint>

#include "bgm/data/dataset.h"

namespace bgm {

struct AdversarialSetOptions {
  int replicas = 1;         ///< R, copies per image (>= 1)
  double zero_out = 0.1;    ///< fraction of the 3072 entries zeroed per copy, in [0, 1]
  uint64_t seed = 0;        ///< run seed; the set uses its own streams "algorithm1/..."
};

/// Entries zeroed per copy: floor(3072 * zero_out), robust to 3072 * 0.1 = 307.2000000001.
int64_t zeroed_entries(double zero_out);

/// The N * R copies (copy r of image i at position i * R + r) with random labels in
/// [0, train.num_classes()), as a virtual set over train's images (Dataset::recipe).
/// Deterministic in (train, options); Dataset::stored() gives the same images stored.
Dataset make_adversarial_set(const Dataset& train, const AdversarialSetOptions& options);

/// The same set built the direct way: all N * R copies stored, each zeroed in place. Used to
/// check the virtual set and by the benchmark that weighs storing against deriving.
Dataset make_stored_adversarial_set(const Dataset& train, const AdversarialSetOptions& options);

}  // namespace bgm
