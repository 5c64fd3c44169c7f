#include <nlohmann/json.hpp>

#include "bgm/core/compute.h"
#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/json_diff.h"
#include "bgm/core/number_lists.h"
#include "bgm/train/lr_schedule.h"
#include "targets.h"

namespace bgm::fuzz {
namespace {

// A study's config.json as bgm writes it, to compare a fuzzed one against.
const nlohmann::json& reference_config() {
  static const nlohmann::json config = nlohmann::json::parse(R"({"study": {"preset": "quick", "seeds": [0],
      "model": {"name": "resnet18", "width": 16}, "sota": {"schedule": {"kind": "cosine", "lr": 0.1}}}})");
  return config;
}

}  // namespace

int config_text(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (data[0] % 6) {
      case 0: {
        const LrSchedule s = parse_schedule(text, 0.1, "--sota-schedule");
        s.validate("--sota-schedule");
        for (int epoch : {1, 2, 150, 351}) (void)s.lr_at(epoch);
        (void)to_string(s);
        break;
      }
      case 1: (void)parse_device(text); break;
      case 2: (void)parse_precision(text, torch::kCPU); break;
      case 3:
        if (parse_seed_list(text, "--seeds").size() > 1000000) throw std::logic_error("an unbounded seed list");
        break;
      case 4: (void)parse_int_list(text, "--replicas"); break;
      default: {
        // As check_study_dir reads an existing config.json: refused with a message, or compared
        // field by field with the study asked for.
        const nlohmann::json recorded = parse_json(text, "config.json", "a config.json written by bgm");
        if (recorded.is_object() && recorded.contains("study"))
          (void)join_differences(json_differences(recorded["study"], reference_config()["study"]));
      }
    }
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace bgm::fuzz
