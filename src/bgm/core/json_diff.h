#pragma once
// Which fields of two configurations differ, for messages that refuse to mix them.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bgm {

/// Dotted paths ("sgd.schedule.base_lr") of the fields whose values differ or that only one of
/// the two has; objects are compared field by field, everything else as a whole.
std::vector<std::string> json_differences(const nlohmann::json& a, const nlohmann::json& b,
                                          const std::string& prefix = "");

/// The paths joined by ", ".
std::string join_differences(const std::vector<std::string>& paths);

}  // namespace bgm
