#pragma once
// Makes the runs of one seed of a study in the run store (run_store.h), or finds them finished:
// W0R (the seeded initialization), W0A (W0R fitted to Algorithm 1's random labels) and
// true-label runs from either start. Every study goes through here, so a run's identity - and
// hence its directory - is the same whichever study asks for it: `reproduce`, `ablation` and
// `rsweep` sharing a store share their W0R, W0A and any run with equal settings.
//
// A run's identity holds everything its result depends on (data content, model, seed, the
// start's id, the training set, SGD settings, stop rule, numerics); its key is readable:
// "MODELwW-sS-W0R", "...-W0A-R4", "...-vanilla-from-W0A-R4". The key also names the run's random
// streams (data order, augmentation), so equal identities give equal results.
#include <nlohmann/json.hpp>
#include <string>

#include "bgm/core/compute.h"
#include "bgm/core/error.h"
#include "bgm/data/dataset.h"
#include "bgm/models/classifier.h"
#include "bgm/models/model_zoo.h"
#include "bgm/study/run_store.h"
#include "bgm/train/sgd_settings.h"

namespace bgm {

/// A run of the store that diverged (train/trainer.h's RunDiverged): its directory keeps the last
/// good checkpoint, its metrics so far and failed.json, which holds `failure`:
/// {"failed": "diverged", "error": message, "epoch": E, "step": S, "id": run id}.
class RunFailed : public Error {
 public:
  RunFailed(const std::string& message, nlohmann::json failure) : Error(message), failure(std::move(failure)) {}
  nlohmann::json failure;
};

/// A run that is not finished (nor failed) where this process may not make it (RunMaker::allow_making).
class RunNotFinished : public Error {
 public:
  using Error::Error;
};

/// A hash of both splits' content, for run identities (reads every pixel: compute it once).
std::string data_content_id(const DataSplits& data);

class RunMaker {
 public:
  /// data_content: data_content_id(data).
  /// In a data-parallel process group (train/data_parallel.h) only rank 0 writes the store;
  /// the other ranks train alongside it, reading the store and checkpoints.
  RunMaker(const ModelSpec& model, const Compute& compute, const DataSplits& data, const std::string& data_content,
           uint64_t seed, const std::filesystem::path& store);

  const RunStore& store() const { return store_; }

  /// Whether a run not found finished may be made (default true). When not, asking for it
  /// throws RunFailed if it diverged earlier (its failed.json), else RunNotFinished.
  void allow_making(bool allowed) { making_allowed_ = allowed; }

  // Each run below is found finished in the store or made; a run that diverges throws RunFailed.

  /// W0R, seeded, or the state_dict in init_from (bgm's or Python's); returns its run id.
  std::string init(const std::filesystem::path& init_from = {});
  /// W0A for R = replicas from the run w0r; returns its run id.
  std::string adversarial(const std::string& w0r, int replicas, double zero_out, const SgdSettings& sgd,
                          const StopRule& stop);
  /// `mode` SGD on the true labels from start_id (whose readable name is start_key, e.g.
  /// "W0A-R4"); returns the run id.
  std::string train(const std::string& start_id, const std::string& start_key, const std::string& mode,
                    const SgdSettings& sgd, const StopRule& stop);

  /// The key of W0A for R ("W0A-R4") and of a true-label run ("vanilla-from-W0A-R4").
  static std::string adversarial_key(int replicas);
  static std::string train_key(const std::string& mode, const std::string& start_key);

 private:
  template <typename Make>
  std::string ensure(const std::string& key, const nlohmann::json& identity, Make make);
  nlohmann::json train_from(const std::string& id, const nlohmann::json& identity, const std::string& start_id, const std::string& key,
                            const Dataset& set, const SgdSettings& sgd, const StopRule& stop, ClassifierImpl& model);

  ModelSpec model_;
  Compute compute_;
  const DataSplits& data_;
  uint64_t seed_;
  RunStore store_;
  nlohmann::json base_;
  std::string prefix_;
  bool making_allowed_ = true;
  bool writes_ = true;
};

}  // namespace bgm
