#include "bgm/study/study_setup.h"

#include <fmt/core.h>

#include "bgm/data/load.h"

namespace fs = std::filesystem;

namespace bgm {

DataSplits load_study_data(const fs::path& data_dir, int64_t train_subset, int64_t test_subset,
                           uint64_t subset_seed, bool resize) {
  const bool embedded = data_dir.empty();
  const fs::path dir = embedded ? default_data_dir() : data_dir;
  // Errors about the embedded data must not tell the user to fix a --data they never gave.
  DataSplits data = load_data(dir, embedded ? "embedded data " + dir.string() + " (set BGM_DATA_DIR or --data)" : "", resize);
  data.train = balanced_subset(data.train, train_subset, subset_seed, "--train-subset");
  data.test = balanced_subset(data.test, test_subset, subset_seed, "--test-subset");
  return data;
}

void settle_channels_last(Compute& compute, const ModelSpec& model) {
  if (!compute.channels_last || channels_last_safe(*make_model(model), compute.device)) return;
  fmt::print(stderr, "bgm: note: {} width {} has convolutions narrower than {} channels; running NCHW "
                     "(channels-last is unsafe for them in this LibTorch)\n",
             model.name, model.width, kMinChannelsLastConvWidth);
  compute.channels_last = false;  // recorded as such in config.json
}

nlohmann::json data_json(const DataSplits& data) {
  const auto& n = data.normalization;
  return {{"name", data.name},
          {"source", data.source},
          {"train_images", data.train.size()},
          {"test_images", data.test.size()},
          {"classes", data.train.class_names},
          {"normalization", {{"mean", n.mean}, {"std", n.std}, {"source", n.source}}}};
}

}  // namespace bgm
