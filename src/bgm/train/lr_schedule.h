#pragma once
// Learning-rate schedules indexed by 1-based epoch, as the paper counts them
// ("0.1 for epochs 1-150, 0.01 for 151-250, 0.001 for 251-350").
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bgm {

struct LrSchedule {
  enum class Kind { kMultiStep, kCosine };
  Kind kind = Kind::kMultiStep;
  double base_lr = 0.1;
  /// Multi-step: the lr is multiplied by gamma after each of these epochs.
  std::vector<int> milestones;
  double gamma = 0.1;
  /// Cosine: lr falls from base_lr (epoch 1) towards 0 over this many epochs.
  int cosine_epochs = 0;

  double lr_at(int epoch) const;
  /// Throws bgm::Error naming `where` for a non-positive lr, unsorted milestones, etc.
  void validate(const std::string& where) const;
};

/// The paper's CIFAR schedule: 0.1, x0.1 after epochs 150 and 250 (350 epochs in all).
LrSchedule cifar_schedule();

/// Parses "multistep:150,250", "constant" or "cosine:60" (base lr separate).
LrSchedule parse_schedule(const std::string& text, double base_lr, const std::string& option);
std::string to_string(const LrSchedule& s);
nlohmann::json to_json(const LrSchedule& s);

}  // namespace bgm
