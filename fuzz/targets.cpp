#include "targets.h"

namespace bgm::fuzz {

const std::vector<NamedTarget>& all_targets() {
  static const std::vector<NamedTarget> targets = {{"cifar_records", cifar_records},
                                                   {"image_decode", image_decode},
                                                   {"torch_file", torch_file},
                                                   {"config_text", config_text}};
  return targets;
}

}  // namespace bgm::fuzz
