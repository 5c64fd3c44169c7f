#pragma once
// The configuration of the two grid studies, `ablation` (the paper's Table 2: every training
// mode from the random and from the adversarial initialization) and `rsweep` (Figure 4: vanilla
// and SOTA SGD from the adversarial initialization of each replication factor R). Both are the
// same grid - seeds x starts (W0R, and W0A for each R) x modes - with different presets.
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

struct GridConfig {
  std::string study = "ablation";  ///< "ablation" or "rsweep"
  std::string preset = "cpu";      ///< "cpu" or "paper"
  std::filesystem::path data_dir;  ///< empty: the embedded CIFAR-10 subset
  ModelSpec model;                 ///< num_classes is filled from the data
  bool resize = false;             ///< image folders: area-average other sizes to 32x32
  int64_t train_subset = 0;        ///< class-balanced subset, drawn with subset_seed; 0 = all
  int64_t test_subset = 0;
  uint64_t subset_seed = 0;        ///< the same images for every seed, so seeds vary training only
  std::vector<uint64_t> seeds = {0};

  // Adversarial initialization, one W0A per R (Algorithm 1 + vanilla SGD on its random labels).
  std::vector<int> replicas = {1};
  double zero_out = 0.1;
  SgdSettings adversarial_sgd;
  StopRule adversarial_stop;

  // Every true-label run: one per mode and start.
  std::vector<std::string> modes;  ///< names from mode_names()
  LrSchedule schedule;
  StopRule train_stop;
  double weight_decay = 5e-4;      ///< of the l2 modes
  double momentum = 0.9;           ///< of the momentum modes
  /// Take weight_decay / schedule and epochs from the data set's paper protocol (CINIC-10:
  /// 1e-4; CINIC-10 and Restricted ImageNet: 300 epochs) unless a flag set them.
  bool protocol_weight_decay = true;
  bool protocol_schedule = false;  ///< the milestones (--schedule turns it off)
  bool protocol_epochs = false;    ///< the run length (--epochs turns it off)
  int64_t batch_size = 128;
  bool drop_last = true;

  MeasureConfig measures;          ///< made for every run (norms, spectral, Hessian, FGSM)
  StudyExecution exec;  ///< all, plan, one task or assemble (study_plan.h); not the study's identity
  std::string precision = "fp32";  ///< requested: fp32, bf16 or auto; resolved into compute
  Compute compute;
  std::filesystem::path out;       ///< summary.json, report.md, config.json, runs/ (links)
  std::filesystem::path store;     ///< the run directories (shared between studies)

  /// Applies the data set's protocol where the flags above ask for it.
  void apply_dataset_protocol(const std::string& dataset_name);
  /// Throws bgm::Error naming the first invalid field and its value.
  void validate() const;
  /// Everything that defines the study's results (not out, store or threads).
  nlohmann::json to_json() const;
};

std::vector<std::string> grid_study_names();
/// The preset's configuration of a study; throws bgm::Error naming --preset if unknown.
GridConfig grid_preset(const std::string& study, const std::string& preset);

}  // namespace bgm
