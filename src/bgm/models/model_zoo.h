#pragma once
// Builds any model of the zoo by name. Initialization is the framework default (LibTorch and
// PyTorch share it) except where the reference code sets its own (DenseNet40), drawn from
// LibTorch's generator, which the caller seeds.
#include <string>
#include <vector>

#include "bgm/models/classifier.h"

namespace bgm {

/// The paper's width; every model is built at its published size for this value.
constexpr int64_t kPaperWidth = 64;

struct ModelSpec {
  std::string name = "resnet18";  ///< one of model_names()
  int64_t num_classes = 10;
  /// Size knob shared by all models, kPaperWidth = the paper's: the first stage's channels of
  /// ResNet18/50 and VGG16 (later stages keep their ratios); DenseNet40's growth rate is
  /// 12 * width / 64 (rounded, at least 1).
  int64_t width = kPaperWidth;
};

std::vector<std::string> model_names();

/// Throws bgm::Error naming the field if the name or a size is invalid.
void validate(const ModelSpec& spec);

/// A freshly initialized model on the CPU.
Classifier make_model(const ModelSpec& spec);

/// DenseNet40's growth rate at a given width (12 at kPaperWidth).
int64_t densenet_growth(int64_t width);

}  // namespace bgm
