#include "bgm/train/dataset_protocol.h"

namespace bgm {

DatasetProtocol paper_protocol(const std::string& dataset_name) {
  DatasetProtocol p;
  p.schedule = cifar_schedule();
  if (dataset_name == "cinic10") p.weight_decay = 1e-4;
  if (dataset_name == "cinic10" || dataset_name == "restricted_imagenet") {
    p.schedule.milestones = {150, 225};
    p.epochs = 300;
  }
  return p;
}

}  // namespace bgm
