#include "bgm/study/run_outcomes.h"

#include <fmt/core.h>

#include <stdexcept>

namespace bgm {

void RunOutcomes::record_failure(const std::string& role, nlohmann::json failure) {
  fmt::print(stderr, "[{}] {}; the study goes on with the runs that do not start from it\n", role,
             failure["failed"] == "diverged" ? "FAILED (diverged)" : failure["error"].get<std::string>());
  failures_.emplace_back(role, std::move(failure));
}

std::map<std::string, std::string> RunOutcomes::begun() const {
  std::map<std::string, std::string> runs = ids_;
  for (const auto& [role, failure] : failures_)
    if (failure.contains("id")) runs[role] = failure["id"].get<std::string>();
  return runs;
}

const nlohmann::json& RunOutcomes::failure(const std::string& role) const {
  for (const auto& [r, f] : failures_)
    if (r == role) return f;
  throw std::out_of_range("no failed run " + role);
}

void throw_if_any_failed(const std::map<std::string, RunOutcomes>& by_seed, const std::filesystem::path& out) {
  std::string failed;
  for (const auto& [seed, outcomes] : by_seed)
    for (const auto& [role, failure] : outcomes.failures()) {
      const std::string what = failure["failed"] == "diverged"
                                   ? fmt::format("diverged in epoch {} at step {}", failure["epoch"].get<int>(),
                                                 failure["step"].get<int64_t>())
                                   : failure["error"].get<std::string>();
      failed += (failed.empty() ? "" : "; ") + seed + " " + role + " (" + what + ")";
    }
  if (!failed.empty())
    throw StudyIncomplete("the study finished with failed runs: " + failed + "; summary.json and report.md in " +
                          out.string() + " show them in place of their numbers");
}

}  // namespace bgm
