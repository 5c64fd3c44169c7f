#pragma once
// Where runs live: one directory per run, named by what determines its result (a readable key
// plus a hash of the run's identity: data, model, seed, start, training set, SGD settings, stop
// rule, numerics). Running a study again finds its finished runs and skips them; two studies
// that need the same run (e.g. the same W0A) find it under the same name and reuse it.
//
// A run directory holds run.json (its identity and the build that made it), metrics.csv (one
// row per epoch), checkpoint.pt while it trains (the state it resumes from), weights.pt (its
// final state_dict) and, written last, result.json (or failed.json if it diverged); a run is finished exactly when result.json
// exists. Each is written to a temporary name and renamed. The file `lock` is held (flock)
// by the one process making the run, so that two jobs asking for it at once (two studies in
// one store on a cluster) make it once: the second waits, then finds it finished.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace bgm {

/// An exclusive flock on a run's lock file, held for its lifetime.
class RunLock {
 public:
  RunLock() = default;
  /// Takes the lock of `file`, waiting (with a note on stderr naming `who`) while another
  /// process holds it. Throws bgm::Error naming the file if it cannot be opened.
  RunLock(const std::filesystem::path& file, const std::string& who);
  ~RunLock();
  RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

class RunStore {
 public:
  explicit RunStore(std::filesystem::path root);
  const std::filesystem::path& root() const { return root_; }

  /// "KEY-HASH": KEY as given (letters, digits, '-', '.', '_', '+'), HASH 12 hex digits of
  /// FNV-1a 64 over identity's canonical JSON text (sorted keys).
  static std::string run_id(const std::string& key, const nlohmann::json& identity);

  std::filesystem::path dir(const std::string& id) const { return root_ / id; }
  std::filesystem::path weights(const std::string& id) const { return dir(id) / "weights.pt"; }
  std::filesystem::path metrics(const std::string& id) const { return dir(id) / "metrics.csv"; }
  /// The training state of an unfinished run (train/checkpoint.h); removed once it finishes.
  std::filesystem::path checkpoint(const std::string& id) const { return dir(id) / "checkpoint.pt"; }

  bool finished(const std::string& id) const;
  /// Holds the run's lock (creating its directory): only one process makes a run at a time.
  RunLock lock(const std::string& id, const std::string& who) const;
  /// The finished run's result.json; throws bgm::Error naming the file if absent or invalid.
  nlohmann::json result(const std::string& id) const;

  /// Creates the run's directory and writes run.json. A run.json already there with another
  /// identity (a hash collision or an edited file) throws bgm::Error naming it.
  void begin(const std::string& id, const nlohmann::json& identity) const;
  /// Throws bgm::Error naming run.json if the run recorded there has another identity.
  void check_identity(const std::string& id, const nlohmann::json& identity) const;
  /// Marks the run finished by writing result.json.
  void finish(const std::string& id, const nlohmann::json& result) const;
  /// The failed.json of a run that diverged, or null.
  nlohmann::json failure(const std::string& id) const;
  /// Records why the run failed in failed.json (removed when the run is begun again).
  void fail(const std::string& id, const nlohmann::json& failure) const;

 private:
  std::filesystem::path root_;
};

}  // namespace bgm
