#include "bgm/models/model_zoo.h"

#include "bgm/core/error.h"
#include "bgm/models/resnet.h"

namespace bgm {

std::vector<std::string> model_names() { return {"resnet18"}; }

void validate(const ModelSpec& spec) {
  auto names = model_names();
  if (std::find(names.begin(), names.end(), spec.name) == names.end())
    throw input_error("--model", "'" + spec.name + "'", "one of: resnet18");
  if (spec.width < 1) throw input_error("--width", std::to_string(spec.width), "an integer >= 1");
  if (spec.num_classes < 2)
    throw input_error("number of classes", std::to_string(spec.num_classes), "at least 2");
}

Classifier make_model(const ModelSpec& spec) {
  validate(spec);
  return std::make_shared<ResNetImpl>(
      ResNetOptions().num_classes(spec.num_classes).width(spec.width));
}

}  // namespace bgm
