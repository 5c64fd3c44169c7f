#pragma once
// The paper's central study: W0R (random init), W0A (W0R fitted to the Algorithm 1 set), then
// vanilla and SOTA SGD on the true labels from each (WVR, WSR, WVA, WSA), with their accuracy
// curves, final accuracies and the seven Table 1 distances.
#include <nlohmann/json.hpp>

#include "bgm/study/reproduce_config.h"

namespace bgm {

/// Loads and checks everything the study needs before it writes anything, then runs it into
/// config.out: config.json, weights/<RUN>.pt, metrics/<RUN>.csv, summary.json, report.md.
/// Returns the summary (keys in the order summary.json has them). Throws bgm::Error on bad input
/// (nothing written) or on a failed run (error.txt written beside the finished files).
nlohmann::ordered_json run_reproduce(ReproduceConfig config);

/// The Table 1 distance columns, in the paper's order, as pairs of run names (W1, W2).
const std::vector<std::pair<std::string, std::string>>& table1_pairs();

}  // namespace bgm
