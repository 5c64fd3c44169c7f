#pragma once
// What every study does before its first run: load and subset the data (failing on bad input
// before anything is written), settle the memory layout for the model, describe the data.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "bgm/core/compute.h"
#include "bgm/data/dataset.h"
#include "bgm/models/model_zoo.h"

namespace bgm {

/// Loads data_dir (empty: the embedded subset) and takes the seeded class-balanced subsets.
/// resize: image folders' images of other sizes are area-averaged to 32x32 (--resize).
DataSplits load_study_data(const std::filesystem::path& data_dir, int64_t train_subset,
                           int64_t test_subset, uint64_t subset_seed, bool resize = false);

/// Turns channels-last off (with a note on stderr) for models it is unsafe for on this device.
void settle_channels_last(Compute& compute, const ModelSpec& model);

/// The data description recorded in config.json: name, source, sizes, classes, normalization.
nlohmann::json data_json(const DataSplits& data);

}  // namespace bgm
