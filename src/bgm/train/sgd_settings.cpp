#include "bgm/train/sgd_settings.h"

#include "bgm/core/error.h"

namespace bgm {

void SgdSettings::validate(const std::string& where) const {
  schedule.validate(where);
  if (momentum < 0 || momentum >= 1)
    throw input_error(where + " momentum", std::to_string(momentum), "a value in [0, 1)");
  if (weight_decay < 0)
    throw input_error(where + " weight decay", std::to_string(weight_decay), "a value >= 0");
  if (batch_size < 1)
    throw input_error(where + " batch size", std::to_string(batch_size), "an integer >= 1");
}

nlohmann::json SgdSettings::to_json() const {
  auto j = bgm::to_json(schedule);
  j["momentum"] = momentum;
  j["weight_decay"] = weight_decay;
  j["augment"] = augment;
  j["batch_size"] = batch_size;
  j["drop_last"] = drop_last;
  return j;
}

SgdSettings vanilla_sgd(const LrSchedule& schedule) {
  SgdSettings s;
  s.schedule = schedule;
  return s;
}

SgdSettings sota_sgd(const LrSchedule& schedule, double weight_decay) {
  SgdSettings s;
  s.schedule = schedule;
  s.momentum = 0.9;
  s.weight_decay = weight_decay;
  s.augment = true;
  return s;
}

void StopRule::validate(const std::string& where) const {
  if (max_epochs < 1) throw input_error(where + " epochs", std::to_string(max_epochs), "an integer >= 1");
  if (target_train_acc > 100)
    throw input_error(where + " target accuracy", std::to_string(target_train_acc), "a percentage <= 100");
  if (check_every < 1)
    throw input_error(where + " check interval", std::to_string(check_every), "an integer >= 1");
}

nlohmann::json StopRule::to_json() const {
  nlohmann::json j = {{"max_epochs", max_epochs}, {"check_every", check_every}};
  j["target_train_acc"] = has_target() ? nlohmann::json(target_train_acc) : nlohmann::json(nullptr);
  return j;
}

}  // namespace bgm
