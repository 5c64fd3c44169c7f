#pragma once
// The eight training modes of the paper's Table 2: every combination of data augmentation (da),
// l2 regularization (l2) and momentum on top of vanilla SGD. "sota" is da+l2+momentum.
#include <string>
#include <vector>

#include "bgm/train/sgd_settings.h"

namespace bgm {

/// The modes in Table 2's order: vanilla, da, l2, momentum, da+l2, da+momentum, l2+momentum, sota.
const std::vector<std::string>& mode_names();

/// The SGD settings of a mode: augmentation on if it has da, the given weight decay if it has
/// l2 (else 0), momentum 0.9 if it has momentum (else 0). Throws bgm::Error naming `option`
/// for an unknown mode.
SgdSettings sgd_for_mode(const std::string& mode, const LrSchedule& schedule, double weight_decay,
                         const std::string& option = "--mode");

}  // namespace bgm
