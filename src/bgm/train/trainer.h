#pragma once
// Trains one model on one labelled set with one SGD setting until its stop rule fires,
// evaluating after every epoch and writing one metrics row per epoch. Knows nothing of studies.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bgm/core/compute.h"
#include "bgm/core/error.h"
#include "bgm/data/dataset.h"
#include "bgm/measure/evaluate.h"
#include "bgm/models/classifier.h"
#include "bgm/train/epoch_metrics.h"
#include "bgm/train/sgd_settings.h"

namespace bgm {

struct RunSpec {
  std::string name;  ///< e.g. "WVA"; names the progress lines and the random streams
  SgdSettings sgd;
  StopRule stop;
  uint64_t seed = 0;
};

struct RunResult {
  std::vector<EpochMetrics> history;
  int epochs = 0;
  double seconds = 0;
  bool reached_target = false;
  EvalResult train, test;  ///< after the last epoch
};

/// Where a run keeps its files (each optional).
struct RunFiles {
  std::filesystem::path metrics_csv;  ///< atomically rewritten after every epoch
  std::filesystem::path checkpoint;   ///< the training state (checkpoint.h); resumed from if there
  nlohmann::json identity;            ///< recorded in the checkpoint with the spec; resuming under
                                      ///< another configuration is refused
  bool write = true;                  ///< false: read the checkpoint, write nothing (a
                                      ///< data-parallel rank other than 0)
};

/// Called after every optimizer step with the epoch and the steps taken in it (tests use it to
/// request a stop at a chosen point).
struct TrainHooks {
  std::function<void(int epoch, int64_t epoch_steps)> after_step;
};

/// A run whose loss became NaN or infinite; its last good checkpoint is kept.
class RunDiverged : public Error {
 public:
  RunDiverged(const std::string& message, int epoch, int64_t epoch_step)
      : Error(message), epoch(epoch), epoch_step(epoch_step) {}
  int epoch;           ///< the epoch it happened in (1-based)
  int64_t epoch_step;  ///< the step within that epoch (1-based) whose loss was not finite
};

/// Trains `model` in place, one progress line per epoch to stderr. With files.checkpoint it
/// saves the whole state after every epoch and on a stop request (SIGINT/SIGTERM, then throws
/// Interrupted), and continues from a checkpoint found there to bitwise the weights an
/// uninterrupted run reaches (same machine and thread count). Throws RunDiverged on a
/// non-finite loss, naming the run, epoch and step.
///
/// In a data-parallel process group (active_data_parallel()) every rank calls it alike: rank 0's
/// weights are broadcast, each step trains on this rank's share of the global batch with the
/// gradients summed over the ranks, batch norm's running statistics are averaged over the ranks
/// after every epoch (so all evaluate the same model), and a stop request is honoured at the
/// end of an epoch, when every rank agrees on it.
RunResult train_run(ClassifierImpl& model, const Dataset& train_set, const Dataset& test_set,
                    const Normalization& norm, const RunSpec& spec, const Compute& compute,
                    const RunFiles& files, const TrainHooks& hooks = {});

/// The header and one row of the metrics CSV.
std::string metrics_csv_header();
std::string metrics_csv_row(const EpochMetrics& m);
/// A whole metrics CSV for an untrained model: the header and one row at epoch 0.
std::string untrained_metrics_csv(const EvalResult& train, const EvalResult& test);

}  // namespace bgm
