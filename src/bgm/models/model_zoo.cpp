#include "bgm/models/model_zoo.h"

#include <algorithm>
#include <cmath>

#include "bgm/core/error.h"
#include "bgm/models/densenet.h"
#include "bgm/models/resnet.h"
#include "bgm/models/vgg.h"

namespace bgm {
namespace {

std::string joined_names() {
  std::string s;
  for (const auto& n : model_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::vector<std::string> model_names() { return {"resnet18", "resnet50", "vgg16", "densenet40"}; }

int64_t densenet_growth(int64_t width) {
  return std::max<int64_t>(1, std::llround(12.0 * static_cast<double>(width) / kPaperWidth));
}

void validate(const ModelSpec& spec) {
  auto names = model_names();
  if (std::find(names.begin(), names.end(), spec.name) == names.end())
    throw input_error("--model", "'" + spec.name + "'", "one of: " + joined_names());
  if (spec.width < 1) throw input_error("--width", std::to_string(spec.width), "an integer >= 1");
  if (spec.num_classes < 2)
    throw input_error("number of classes", std::to_string(spec.num_classes), "at least 2");
}

Classifier make_model(const ModelSpec& spec) {
  validate(spec);
  if (spec.name == "resnet50")
    return std::make_shared<ResNetImpl>(ResNetOptions()
                                            .num_classes(spec.num_classes)
                                            .width(spec.width)
                                            .blocks({3, 4, 6, 3})
                                            .bottleneck(true));
  if (spec.name == "vgg16")
    return std::make_shared<VggImpl>(VggOptions().num_classes(spec.num_classes).width(spec.width));
  if (spec.name == "densenet40") {
    auto model = std::make_shared<DenseNetImpl>(
        DenseNetOptions().num_classes(spec.num_classes).growth(densenet_growth(spec.width)));
    init_densenet(*model);
    return model;
  }
  return std::make_shared<ResNetImpl>(ResNetOptions().num_classes(spec.num_classes).width(spec.width));
}

}  // namespace bgm
