#pragma once
// A run's whole training state, saved after every epoch and on a stop request, so a run killed
// at any instant continues to exactly the weights it would have reached: weights and BN
// buffers, SGD momentum buffers, the position (epochs done, steps taken inside the next one),
// every random stream's state, the metrics so far, and the run's resolved configuration.
//
// One file, checkpoint.pt: a torch.save-compatible dict (Python's torch.load opens it) with
// "format", "meta" (JSON text), "model" and "momentum" (name -> tensor) and "torch_rng". It is
// written to a temporary name, synced and renamed, so the previous state stays whole until the
// new one is; a crash leaves one good state.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bgm/models/model_state.h"
#include "bgm/train/epoch_metrics.h"

namespace bgm {

/// Where training stands. A checkpoint at an epoch boundary has epoch_steps == 0.
struct TrainPosition {
  int epochs_done = 0;        ///< complete epochs, evaluated
  int64_t steps = 0;          ///< optimizer steps in all
  int64_t epoch_steps = 0;    ///< steps of epoch epochs_done + 1 already taken
  bool stopped = false;       ///< the stop rule fired: training is complete
  bool reached_target = false;
  std::string order_state;    ///< the data-order stream at the start of epoch epochs_done + 1
  std::string augment_state;  ///< the augmentation stream now
  double loss_sum = 0;        ///< running sums of the unfinished epoch
  int64_t correct = 0, images = 0;
  double epoch_train_seconds = 0;
  double seconds = 0;         ///< training and evaluation time so far
  std::vector<EpochMetrics> history;
};

struct Checkpoint {
  nlohmann::json config;  ///< the run's resolved configuration; resuming under another is refused
  TrainPosition position;
  NamedTensors model;     ///< state_dict, CPU
  NamedTensors momentum;  ///< parameter name -> SGD momentum buffer, CPU (none before step 1)
  torch::Tensor torch_rng;  ///< LibTorch's default CPU generator
  int threads = 0;        ///< LibTorch threads that produced it (bitwise resume needs the same)
};

/// Writes `c` to path atomically.
void save_checkpoint(const std::filesystem::path& path, const Checkpoint& c);

/// The checkpoint at path, or nullopt if there is none; bgm::Error naming the file if it is
/// unreadable or not a bgm checkpoint.
std::optional<Checkpoint> load_checkpoint(const std::filesystem::path& path);

/// Throws bgm::Error naming the checkpoint and the differing fields if `config` is not the
/// configuration the checkpoint was saved under.
void check_checkpoint_config(const std::filesystem::path& path, const nlohmann::json& saved,
                             const nlohmann::json& config);

}  // namespace bgm
