#pragma once
// The paper's figures, drawn from a study directory's result files alone (summary.json and the
// per-run metrics), so `bgm report DIR` can redraw them without training:
//   reproduce: curves (Figures 2-3: training and test accuracy per epoch of WVR, WSR, WVA, WSA),
//              norms (Figure 5: Frobenius, l1 and l2 path norms of the six models),
//              fgsm (Figure 6: test accuracy under FGSM against eps);
//   ablation:  ablation (Table 2 as grouped bars, min-max over seeds);
//   rsweep:    rsweep (Figure 4: test accuracy against R, vanilla and SOTA);
//   toy:       toy (Figure 1: the four decision boundaries side by side).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bgm {

struct Figure {
  std::string name;     ///< figures/NAME.png and figures/NAME.svg
  std::string caption;  ///< one sentence: what it shows and its units
};

/// "reproduce", "ablation", "rsweep" or "toy", from a summary.json; throws bgm::Error naming the
/// file if it is none of them.
std::string study_kind(const nlohmann::json& summary, const std::filesystem::path& where);

/// Draws every figure of the study in `dir` into dir/figures/ and returns them in order.
std::vector<Figure> draw_study_figures(const std::filesystem::path& dir, const nlohmann::json& summary);

}  // namespace bgm
