#pragma once
// Turns a reproduce study's summary.json (and its config.json) into tables for people.
#include <nlohmann/json.hpp>
#include <string>

namespace bgm {

/// The results table (one row per model) and the Table 1 distances, as Markdown.
std::string reproduce_tables_markdown(const nlohmann::json& summary);

/// report.md: the setting, the tables, and which of the paper's claims this run shows.
std::string reproduce_report_markdown(const nlohmann::json& summary, const nlohmann::json& config);

}  // namespace bgm
