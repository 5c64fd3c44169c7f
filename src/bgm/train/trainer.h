#pragma once
// Trains one model on one labelled set with one SGD setting until its stop rule fires,
// evaluating after every epoch and writing one metrics row per epoch. Knows nothing of studies.
#include <filesystem>
#include <string>
#include <vector>

#include "bgm/core/compute.h"
#include "bgm/data/dataset.h"
#include "bgm/measure/evaluate.h"
#include "bgm/models/classifier.h"
#include "bgm/train/sgd_settings.h"

namespace bgm {

struct RunSpec {
  std::string name;  ///< e.g. "WVA"; names the progress lines and the random streams
  SgdSettings sgd;
  StopRule stop;
  uint64_t seed = 0;
};

struct EpochMetrics {
  int epoch = 0;
  double lr = 0;
  double running_loss = 0;  ///< mean over the epoch's steps, train mode, augmented input
  double running_acc = 0;
  EvalResult train;         ///< eval mode, un-augmented training set
  EvalResult test;
  double seconds = 0;       ///< since the run started (training and evaluation)
  double images_per_second = 0;  ///< training throughput of this epoch
};

struct RunResult {
  std::vector<EpochMetrics> history;
  int epochs = 0;
  double seconds = 0;
  bool reached_target = false;
  EvalResult train, test;  ///< after the last epoch
};

/// Trains `model` in place. Writes metrics_csv (atomically rewritten after every epoch) if not
/// empty and one progress line per epoch to stderr. Throws bgm::Error on a non-finite loss.
RunResult train_run(ClassifierImpl& model, const Dataset& train_set, const Dataset& test_set,
                    const Normalization& norm, const RunSpec& spec, const Compute& compute,
                    const std::filesystem::path& metrics_csv);

/// The header and one row of the metrics CSV.
std::string metrics_csv_header();
std::string metrics_csv_row(const EpochMetrics& m);
/// A whole metrics CSV for an untrained model: the header and one row at epoch 0.
std::string untrained_metrics_csv(const EvalResult& train, const EvalResult& test);

}  // namespace bgm
