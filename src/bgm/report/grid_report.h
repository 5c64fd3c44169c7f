#pragma once
// Tables of the grid studies from their summary.json: the ablation as the paper's Table 2
// (modes x {random, adversarial} start), the R sweep as Figure 4's numbers (R x {vanilla, SOTA}).
// Cells are "mean ± std (min-max)" over the study's seeds.
#include <nlohmann/json.hpp>
#include <string>

namespace bgm {

/// The study's result tables, as Markdown.
std::string grid_tables_markdown(const nlohmann::ordered_json& summary);

/// report.md: the setting (from config.json's "study" object) and the tables.
std::string grid_report_markdown(const nlohmann::ordered_json& summary, const nlohmann::json& study);

}  // namespace bgm
