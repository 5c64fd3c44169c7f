#pragma once
// Which runs of one seed of a study finished and which failed. A study goes on past a run that
// diverged: the runs that do not start from it are still made, those that do are recorded as
// not run, and summary.json and the report show each failure in place of its numbers.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bgm/core/error.h"
#include "bgm/study/run_maker.h"

namespace bgm {

class RunOutcomes {
 public:
  /// Makes run `role` with `make` (a RunMaker call returning the run id) unless its start
  /// `start_role` failed (empty for a run without a start). A RunFailed is recorded, not thrown.
  /// A RunNotFinished (a maker that may only find runs) marks `role` unfinished and is thrown
  /// on; a run whose start is unfinished is unfinished too (nothing failed) and throws it.
  template <typename Make>
  void attempt(const std::string& role, const std::string& start_role, Make make);

  bool finished(const std::string& role) const { return ids_.count(role) > 0; }
  bool unfinished(const std::string& role) const { return unfinished_.count(role) > 0; }
  const std::string& id(const std::string& role) const { return ids_.at(role); }
  const std::map<std::string, std::string>& ids() const { return ids_; }
  /// role -> run id of every run that was begun: the finished ones and those that diverged
  /// (a run not run has no directory).
  std::map<std::string, std::string> begun() const;
  /// (role, {"failed": "diverged" | "not run", "error": why, ...}) in the order the runs were
  /// attempted (run_maker.h's RunFailed has the fields of a diverged run).
  const std::vector<std::pair<std::string, nlohmann::json>>& failures() const { return failures_; }
  /// The failure of a run that did not finish; throws std::out_of_range for a finished one.
  const nlohmann::json& failure(const std::string& role) const;

 private:
  void record_failure(const std::string& role, nlohmann::json failure);

  std::map<std::string, std::string> ids_;
  std::vector<std::pair<std::string, nlohmann::json>> failures_;
  std::set<std::string> unfinished_;
};

/// A result or failure as summary.json holds it: true when the run did not finish.
template <typename Json>  // nlohmann::json or ordered_json
bool is_failure(const Json& run) {
  return run.is_object() && run.contains("failed");
}

/// Throws StudyIncomplete naming each failed run ("seed0 WVR (diverged in epoch 2 at step 3);
/// seed0 WVA (not run: its start W0A failed)") and the study directory `out`, if any failed.
void throw_if_any_failed(const std::map<std::string, RunOutcomes>& by_seed, const std::filesystem::path& out);

template <typename Make>
void RunOutcomes::attempt(const std::string& role, const std::string& start_role, Make make) {
  if (!start_role.empty() && unfinished(start_role)) {
    unfinished_.insert(role);
    throw RunNotFinished("its start " + start_role + " is not finished");
  }
  if (!start_role.empty() && !finished(start_role)) {
    record_failure(role, {{"failed", "not run"}, {"error", "not run: its start " + start_role + " failed"}});
    return;
  }
  try {
    ids_[role] = make();
  } catch (const RunFailed& e) {
    record_failure(role, e.failure);
  } catch (const RunNotFinished&) {
    unfinished_.insert(role);
    throw;
  }
}

}  // namespace bgm
