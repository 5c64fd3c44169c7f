#pragma once
// One table cell repeated over seeds (a seed_stats JSON object), as every report prints it.
#include <nlohmann/json.hpp>
#include <string>

namespace bgm {

/// "84.84 ± 0.19 (84.61-85.07)" for several seeds, "84.84" for one, "-" for null (no seed finished).
std::string seed_cell(const nlohmann::json& stats, int digits = 2);

}  // namespace bgm
