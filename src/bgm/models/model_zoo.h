#pragma once
// Builds any model of the zoo by name. Initialization is the framework default (LibTorch and
// PyTorch share it), drawn from LibTorch's generator, which the caller seeds.
#include <string>
#include <vector>

#include "bgm/models/classifier.h"

namespace bgm {

struct ModelSpec {
  std::string name = "resnet18";  ///< one of model_names()
  int64_t num_classes = 10;
  int64_t width = 64;  ///< planes of the first stage (64 = the paper's)
};

std::vector<std::string> model_names();

/// Throws bgm::Error naming the field if the name or a size is invalid.
void validate(const ModelSpec& spec);

/// A freshly initialized model on the CPU.
Classifier make_model(const ModelSpec& spec);

}  // namespace bgm
