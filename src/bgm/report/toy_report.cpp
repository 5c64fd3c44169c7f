#include "bgm/report/toy_report.h"

#include <fmt/core.h>

#include "bgm/report/seed_cell.h"

namespace bgm {

std::string toy_report_markdown(const nlohmann::ordered_json& summary) {
  std::string md = "# bgm toy: Figure 1\n\n";
  if (summary.contains("seeds")) md += "Seed " + std::to_string(summary["seed"].get<uint64_t>()) + ":\n\n";
  md += "| setting | what | epochs | train acc % | margin |\n|---|---|---:|---:|---:|\n";
  for (const auto& [k, v] : summary["settings"].items())
    md += fmt::format("| {} | {} | {} | {:.1f}{} | {} |\n", k, v["description"].get<std::string>(), v["epochs"].get<int>(),
                      v["train_acc"].get<double>(), v["reached_100"].get<bool>() ? "" : " (not fitted: epoch cap)",
                      v["margin"].is_null() ? "none in window" : fmt::format("{:.4f}", v["margin"].get<double>()));
  if (summary.contains("stats")) {
    md += "\nOver seeds " + summary["seeds"].dump() + " (mean ± sample std (min-max)):\n\n"
          "| setting | train acc % | margin |\n|---|---:|---:|\n";
    for (const auto& [k, v] : summary["stats"].items())
      md += fmt::format("| {} | {} | {} |\n", k, seed_cell(v["train_acc"]),
                        v["margin"].is_null() ? "none in window" : seed_cell(v["margin"], 4));
  }
  md += summary.contains("seeds") ? "\nPanels: seedS/setting1.png .. setting4.png; toy.png has one row per seed. "
                                  : "\nPanels: setting1.png .. setting4.png, side by side in toy.png. ";
  md += "Fill colour: the label trained on (blue 0, red 1); shape: the true class (circle 0, square 1); "
        "black: the 0.5 level of the output.\n";
  return md;
}

}  // namespace bgm
