#pragma once
// The toy study's tables (Figure 1's numbers) from its summary.json.
#include <nlohmann/json.hpp>
#include <string>

namespace bgm {

/// report.md of a toy study: per setting its epochs, training accuracy and margin; over seeds
/// their statistics when there are several.
std::string toy_report_markdown(const nlohmann::ordered_json& summary);

}  // namespace bgm
