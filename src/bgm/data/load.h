#pragma once
// One entry point for every supported data layout; the format is recognised from the files.
#include <filesystem>

#include "bgm/data/dataset.h"

namespace bgm {

/// The CIFAR-10 subset shipped in the repository (data/cifar10-small), used when no --data is
/// given. BGM_DATA_DIR in the environment overrides where it is looked for.
std::filesystem::path default_data_dir();

/// Loads (a) CIFAR-10 binaries, (b) CIFAR-100 binaries (fine labels), (c) an ImageNet tree
/// (train/ with the 1000 WordNet-id folders, val/) as Restricted ImageNet, cached at 32x32 under
/// default_cache_dir(), or (d) an image-folder tree train/<class>/*, test/<class>/* of 32x32
/// images; with a valid/ split and CIFAR-10's classes that is CINIC-10 (valid/ unused). Throws bgm::Error naming `where` (default
/// "--data DIR") for anything else. `resize`: image folders' images of other sizes are
/// area-averaged to 32x32 (otherwise they are refused).
DataSplits load_data(const std::filesystem::path& dir, const std::string& where = "", bool resize = false);

/// A seeded, class-balanced subset of n images: floor(n / C) per class, the remainder going one
/// each to the first classes; images keep their original order. n <= 0 or n == size returns
/// the set unchanged; n > size or a class with too few images throws bgm::Error naming `option`.
Dataset balanced_subset(const Dataset& set, int64_t n, uint64_t seed, const std::string& option);

}  // namespace bgm
