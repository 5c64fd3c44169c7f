#include "bgm/train/heuristics.h"

#include <algorithm>

#include "bgm/core/error.h"

namespace bgm {

const std::vector<std::string>& mode_names() {
  static const std::vector<std::string> names = {"vanilla",     "da",          "l2",          "momentum",
                                                 "da+l2",       "da+momentum", "l2+momentum", "sota"};
  return names;
}

SgdSettings sgd_for_mode(const std::string& mode, const LrSchedule& schedule, double weight_decay,
                         const std::string& option) {
  const auto& names = mode_names();
  if (std::find(names.begin(), names.end(), mode) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw input_error(option, "'" + mode + "'", "one of: " + list);
  }
  // "sota" is the one mode whose name does not list its parts.
  const std::string parts = mode == "sota" ? "da+l2+momentum" : mode;
  auto has = [&](const std::string& part) {
    return ("+" + parts + "+").find("+" + part + "+") != std::string::npos;
  };
  SgdSettings s = vanilla_sgd(schedule);
  s.augment = has("da");
  s.weight_decay = has("l2") ? weight_decay : 0.0;
  s.momentum = has("momentum") ? 0.9 : 0.0;
  return s;
}

}  // namespace bgm
