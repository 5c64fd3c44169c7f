#include "bgm/study/grid_config.h"

#include <algorithm>

#include "bgm/core/error.h"
#include "bgm/train/dataset_protocol.h"
#include "bgm/train/heuristics.h"

namespace bgm {
namespace {

// The paper's settings (PAPER.md): full data, width 64, 5 seeds, W0A to 99.99% checked every
// 25 epochs (CIFAR schedule, at most 350 epochs), true-label runs over the data set's schedule.
GridConfig paper(const std::string& study) {
  GridConfig c;
  c.study = study;
  c.preset = "paper";
  c.model.width = kPaperWidth;
  c.seeds = {1, 2, 3, 4, 5};
  c.replicas = study == "rsweep" ? std::vector<int>{1, 2, 4, 8} : std::vector<int>{1};
  c.adversarial_sgd = vanilla_sgd(cifar_schedule());
  c.adversarial_stop = {350, 99.99, 25};
  c.schedule = cifar_schedule();
  c.train_stop = {350, -1, 1};
  c.protocol_schedule = c.protocol_epochs = true;
  c.drop_last = false;  // as the reference
  return c;
}

// Sized for a 2-core CPU (docs/presets.md): ResNet18 width 8 (the narrowest that runs
// channels-last safely), 2,000 training / 1,000 test images, R = 4 (rsweep: 1, 2, 4), W0A to
// 99.99% or 40 epochs at a constant lr 0.1, every true-label run 30 epochs of cosine lr. The
// two studies share their W0R, W0A (R = 4) and the vanilla and SOTA runs.
GridConfig cpu(const std::string& study) {
  GridConfig c;
  c.study = study;
  c.preset = "cpu";
  c.model.width = 8;
  c.train_subset = 2000;
  c.test_subset = 1000;
  c.seeds = {0};
  c.replicas = study == "rsweep" ? std::vector<int>{1, 2, 4} : std::vector<int>{4};
  c.adversarial_sgd = vanilla_sgd(LrSchedule{});
  c.adversarial_stop = {40, 99.99, 1};
  c.schedule.kind = LrSchedule::Kind::kCosine;
  c.schedule.cosine_epochs = 30;
  c.train_stop = {30, -1, 1};
  c.precision = "auto";
  return c;
}

}  // namespace

std::vector<std::string> grid_study_names() { return {"ablation", "rsweep"}; }

GridConfig grid_preset(const std::string& study, const std::string& preset) {
  GridConfig c;
  if (preset == "cpu") c = cpu(study);
  else if (preset == "paper") c = paper(study);
  else throw input_error("--preset", "'" + preset + "'", "one of: cpu, paper");
  c.modes = study == "rsweep" ? std::vector<std::string>{"vanilla", "sota"} : mode_names();
  return c;
}

void GridConfig::apply_dataset_protocol(const std::string& dataset_name) {
  const DatasetProtocol p = paper_protocol(dataset_name);
  if (protocol_weight_decay) weight_decay = p.weight_decay;
  if (protocol_schedule) schedule = p.schedule_from(schedule.base_lr);
  if (protocol_epochs) train_stop.max_epochs = p.epochs;
}

void GridConfig::validate() const {
  measures.validate();
  if (preset == "paper" && data_dir.empty())
    throw input_error("--preset paper", "no --data", "--data DIR with the full data set (the embedded subset is for --preset cpu)");
  bgm::validate(model);
  if (train_subset < 0) throw input_error("--train-subset", std::to_string(train_subset), "an integer >= 0");
  if (test_subset < 0) throw input_error("--test-subset", std::to_string(test_subset), "an integer >= 0");
  if (seeds.empty()) throw input_error("--seeds", "an empty list", "at least one seed");
  if (replicas.empty()) throw input_error("--replicas", "an empty list", "at least one R");
  if (!(zero_out >= 0 && zero_out < 1))
    throw input_error("--zero-out", std::to_string(zero_out), "a fraction in [0, 1) (1 would zero every entry)");
  if (modes.empty()) throw input_error("--modes", "an empty list", "at least one mode");
  // A repeated entry would count the same run twice in a cell's statistics.
  auto repeated = [](auto values) {
    std::sort(values.begin(), values.end());
    return std::adjacent_find(values.begin(), values.end()) != values.end();
  };
  if (repeated(modes)) throw input_error("--modes", nlohmann::json(modes).dump(), "each mode at most once");
  if (repeated(replicas)) throw input_error("--replicas", nlohmann::json(replicas).dump(), "each R at most once");
  for (const auto& m : modes) sgd_for_mode(m, schedule, weight_decay, "--modes");  // names the bad one
  adversarial_sgd.validate("adversarial initialization");
  adversarial_stop.validate("adversarial initialization");
  schedule.validate("--schedule");
  train_stop.validate("true-label runs");
  if (weight_decay < 0) throw input_error("--weight-decay", std::to_string(weight_decay), "a value >= 0");
  if (momentum < 0 || momentum >= 1) throw input_error("--momentum", std::to_string(momentum), "a value in [0, 1)");
  if (batch_size < 1) throw input_error("--batch-size", std::to_string(batch_size), "an integer >= 1");
}

nlohmann::json GridConfig::to_json() const {
  nlohmann::json j = {{"study", study},
          {"preset", preset},
          {"data", data_dir.empty() ? std::string() : std::filesystem::absolute(data_dir).lexically_normal().string()},
          {"model", model.name},
          {"width", model.width},
          {"num_classes", model.num_classes},
          {"train_subset", train_subset},
          {"test_subset", test_subset},
          {"subset_seed", subset_seed},
          {"seeds", seeds},
          {"adversarial", {{"replicas", replicas}, {"zero_out", zero_out},
                           {"sgd", adversarial_sgd.to_json()}, {"stop", adversarial_stop.to_json()}}},
          {"modes", modes},
          {"train", {{"schedule", bgm::to_json(schedule)}, {"stop", train_stop.to_json()},
                     {"weight_decay", weight_decay}, {"momentum", momentum}}},
          {"batch_size", batch_size},
          {"drop_last", drop_last},
          {"device", device_kind(compute.device)},
          {"precision", to_string(compute.precision)},  // resolved: auto and bf16 may be the same
          {"channels_last", compute.channels_last},
          {"measures", measures.enabled ? measures.to_json() : nlohmann::json(false)}};
  if (resize) j["resize"] = true;  // only when given: earlier studies keep their configuration
  return j;
}

}  // namespace bgm
