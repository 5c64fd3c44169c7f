#pragma once
// The 2-D toy study (Figure 1): two Gaussian classes of 50 points, the 2-100-100-1 MLP, SGD
// with batch 10 until 100% training accuracy, in the paper's four settings:
//   1. true labels from a random init;   2. random labels from the same init;
//   3. true labels starting from (2);     4. as (3) with augmentation, l2 and momentum.
// Each setting's decision boundary is drawn as a PNG and its margin (the smallest distance from
// a training point to the boundary) and training accuracy go into summary.json.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bgm {

struct ToyConfig {
  /// "paper" (the default) or "cpu": the same settings, the study being CPU-sized at the
  /// paper's scale (about 40 s on 2 cores); both names exist because every study has them.
  std::string preset = "paper";
  std::vector<uint64_t> seeds = {0};  ///< the study once per seed (data, labels, init, order)
  int64_t points_per_class = 50;
  double lr = 0.1;
  int64_t batch_size = 10;
  int max_epochs = 20000;          ///< per setting, if 100% is not reached earlier
  // Setting 4 (PAPER.md gives the ingredients, not the values).
  int noisy_copies = 2;            ///< each point plus this many noisy copies
  double noise_std = 0.05;         ///< per coordinate; a third of the classes' spread (0.15)
  double weight_decay = 5e-4;
  double momentum = 0.9;
  int64_t picture_size = 480;      ///< pixels per panel side
  int64_t margin_grid = 1024;      ///< grid per side on which the boundary is located
  std::filesystem::path out;

  void validate() const;
  nlohmann::json to_json() const;
};

/// The preset's configuration; throws bgm::Error naming --preset if unknown.
ToyConfig toy_preset(const std::string& name);

/// Runs the four settings into config.out: setting1.png .. setting4.png, toy.png (the four
/// panels side by side), metrics/settingK.csv (one row per epoch), config.json, summary.json
/// {"settings": {"1": {"train_acc", "margin", ...}, ..}}, report.md. With several seeds each
/// seed's pictures and metrics go to seedS/, toy.png has one row of panels per seed, and the
/// summary adds "seeds", "by_seed" and "stats" (seed statistics of train_acc and margin per
/// setting); "seed" and "settings" are the first seed's. Returns the summary.
nlohmann::ordered_json run_toy_study(const ToyConfig& config);

}  // namespace bgm
