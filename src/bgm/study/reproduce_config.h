#pragma once
// The configuration of the paper's central study (`bgm reproduce`): one plain struct with the
// preset's defaults, validated as a whole and written as JSON into the output directory.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bgm/core/compute.h"
#include "bgm/models/model_zoo.h"
#include "bgm/study/run_measures.h"
#include "bgm/study/study_plan.h"
#include "bgm/train/sgd_settings.h"

namespace bgm {

struct ReproduceConfig {
  std::string preset = "quick";
  std::filesystem::path data_dir;  ///< empty: the embedded CIFAR-10 subset
  ModelSpec model;                 ///< num_classes is filled from the data
  bool resize = false;             ///< image folders: area-average other sizes to 32x32
  int64_t train_subset = 0;        ///< class-balanced subset, drawn with subset_seed; 0 = all
  int64_t test_subset = 0;
  uint64_t subset_seed = 0;        ///< the same images for every seed (and for the grid studies)
  std::vector<uint64_t> seeds = {0};  ///< the study once per seed; the first is summary.json's "seed"
  /// W0R from this state_dict file (bgm's or Python's torch.save) instead of the seeded init.
  std::filesystem::path init_from;

  // Adversarial initialization (Algorithm 1 + vanilla SGD on its random labels).
  int replicas = 1;
  double zero_out = 0.1;
  SgdSettings adversarial_sgd;
  StopRule adversarial_stop;

  // Training on the true labels.
  SgdSettings vanilla;
  StopRule vanilla_stop;
  SgdSettings sota;
  StopRule sota_stop;
  /// Take SOTA's weight decay / the true-label runs' schedule and epochs from the data set's
  /// paper protocol (dataset_protocol.h) unless a flag set them.
  bool protocol_weight_decay = true;
  bool protocol_schedule = false;  ///< milestones (--vanilla-schedule / --sota-schedule turn it off)
  bool protocol_epochs = false;    ///< run length (--vanilla-epochs / --sota-epochs turn it off)

  MeasureConfig measures;  ///< made for every model (norms, spectral, Hessian, FGSM)
  StudyExecution exec;  ///< all, plan, one task or assemble (study_plan.h); not the study's identity

  /// Requested precision: fp32, bf16 or auto; resolved into compute.precision.
  std::string precision = "fp32";
  Compute compute;
  std::filesystem::path out;    ///< config.json, summary.json, report.md, weights/, metrics/, runs/
  std::filesystem::path store;  ///< the run directories (shared with other studies)

  /// Applies the data set's protocol where the flags above ask for it.
  void apply_dataset_protocol(const std::string& dataset_name);
  /// Throws bgm::Error naming the first invalid field and its value.
  void validate() const;
  /// Everything that defines the study's results (not out, store or threads).
  nlohmann::json to_json() const;
};

std::vector<std::string> preset_names();
/// The named preset's configuration; throws bgm::Error naming --preset if unknown.
ReproduceConfig preset_config(const std::string& name);

}  // namespace bgm
