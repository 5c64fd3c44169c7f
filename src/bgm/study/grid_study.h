#pragma once
// Runs a grid study (`ablation` or `rsweep`, see grid_config.h): for every seed, W0R, one W0A
// per R, and every mode from every start, each run in its own directory of the run store
// (run_store.h) so finished runs are skipped and shared. Then aggregates the cells over seeds.
#include <nlohmann/json.hpp>

#include "bgm/study/grid_config.h"

namespace bgm {

/// Loads and checks everything before writing anything, runs what is not finished yet, and
/// writes into config.out: config.json, runs/seedS/ROLE (links to the run directories),
/// summary.json and report.md. Re-running with the same configuration completes an unfinished
/// study; another configuration in the same --out is refused with the differing fields.
/// Returns the summary (keys in the order summary.json has them).
nlohmann::ordered_json run_grid_study(GridConfig config);

/// The start label of a cell: "random", or "adversarial" (ablation) / "R=4" (rsweep).
std::string start_label(const GridConfig& config, int replicas);

}  // namespace bgm
