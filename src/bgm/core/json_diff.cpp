#include "bgm/core/json_diff.h"

namespace bgm {

std::vector<std::string> json_differences(const nlohmann::json& a, const nlohmann::json& b, const std::string& prefix) {
  if (!a.is_object() || !b.is_object()) {
    if (a == b) return {};
    return {prefix.empty() ? "(the whole value)" : prefix};
  }
  std::vector<std::string> out;
  auto path = [&](const std::string& key) { return prefix.empty() ? key : prefix + "." + key; };
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (!b.contains(it.key())) {
      out.push_back(path(it.key()));
      continue;
    }
    for (auto& p : json_differences(it.value(), b[it.key()], path(it.key()))) out.push_back(std::move(p));
  }
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!a.contains(it.key())) out.push_back(path(it.key()));
  return out;
}

std::string join_differences(const std::vector<std::string>& paths) {
  std::string s;
  for (const auto& p : paths) s += (s.empty() ? "" : ", ") + p;
  return s;
}

}  // namespace bgm
