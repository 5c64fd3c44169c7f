#include "bgm/train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "bgm/core/error.h"

namespace bgm {

double LrSchedule::lr_at(int epoch) const {
  if (kind == Kind::kCosine) {
    const double t = std::min(1.0, static_cast<double>(epoch - 1) / std::max(1, cosine_epochs));
    return base_lr * 0.5 * (1.0 + std::cos(M_PI * t));
  }
  const auto passed = std::count_if(milestones.begin(), milestones.end(), [&](int m) { return epoch > m; });
  return base_lr * std::pow(gamma, static_cast<double>(passed));
}

void LrSchedule::validate(const std::string& where) const {
  if (!(base_lr > 0)) throw input_error(where, "lr " + std::to_string(base_lr), "a positive learning rate");
  if (!std::is_sorted(milestones.begin(), milestones.end()) ||
      std::any_of(milestones.begin(), milestones.end(), [](int m) { return m < 1; }))
    throw input_error(where, "milestones " + to_string(*this), "increasing positive epochs");
  if (kind == Kind::kCosine && cosine_epochs < 1)
    throw input_error(where, to_string(*this), "cosine:EPOCHS with EPOCHS >= 1");
}

LrSchedule cifar_schedule() {
  LrSchedule s;
  s.milestones = {150, 250};
  return s;
}

LrSchedule parse_schedule(const std::string& text, double base_lr, const std::string& option) {
  const std::string expected = "constant, multistep:E1,E2,... or cosine:EPOCHS";
  LrSchedule s;
  s.base_lr = base_lr;
  auto colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  const std::string args = colon == std::string::npos ? "" : text.substr(colon + 1);
  try {
    if (kind == "constant" && args.empty()) {
    } else if (kind == "multistep") {
      std::stringstream ss(args);
      for (std::string item; std::getline(ss, item, ',');) {
        size_t used = 0;
        s.milestones.push_back(std::stoi(item, &used));
        if (used != item.size()) throw std::invalid_argument(item);
      }
    } else if (kind == "cosine") {
      size_t used = 0;
      s.kind = LrSchedule::Kind::kCosine;
      s.cosine_epochs = std::stoi(args, &used);
      if (used != args.size()) throw std::invalid_argument(args);
    } else {
      throw std::invalid_argument(kind);
    }
  } catch (const std::logic_error&) {
    throw input_error(option, "'" + text + "'", expected);
  }
  s.validate(option);
  return s;
}

std::string to_string(const LrSchedule& s) {
  if (s.kind == LrSchedule::Kind::kCosine) return "cosine:" + std::to_string(s.cosine_epochs);
  if (s.milestones.empty()) return "constant";
  std::string out = "multistep:";
  for (size_t i = 0; i < s.milestones.size(); ++i) out += (i ? "," : "") + std::to_string(s.milestones[i]);
  return out;
}

nlohmann::json to_json(const LrSchedule& s) {
  return {{"schedule", to_string(s)}, {"lr", s.base_lr}, {"gamma", s.gamma}};
}

}  // namespace bgm
