#include "bgm/data/load.h"

#include <algorithm>
#include <cstdlib>

#include "bgm/core/error.h"
#include "bgm/core/random.h"
#include "bgm/data/cifar_binary.h"
#include "bgm/data/image_folder.h"
#include "bgm/data/restricted_imagenet.h"

#ifndef BGM_SOURCE_DIR
#define BGM_SOURCE_DIR "."
#endif

namespace fs = std::filesystem;

namespace bgm {
namespace {

bool is_cifar10_class_list(const std::vector<std::string>& names) {
  return names == std::vector<std::string>{"airplane", "automobile", "bird",  "cat",  "deer",
                                           "dog",      "frog",       "horse", "ship", "truck"};
}

// CINIC-10 is an image-folder tree with a third split, valid/, which the paper does not use
// (it trains on train/ and tests on test/); its class folders sort into CIFAR-10's order.
bool is_cinic10(const fs::path& dir, const std::vector<std::string>& classes) {
  return fs::is_directory(dir / "valid") && is_cifar10_class_list(classes);
}

DataSplits load_image_folder(const fs::path& dir, bool resize) {
  DataSplits s;
  s.name = "imagefolder";
  s.source = dir.string();
  auto classes = image_folder_classes(dir);
  s.train = load_image_folder_split(dir, "train", classes, resize);
  s.test = load_image_folder_split(dir, "test", classes, resize);
  if (is_cinic10(dir, classes)) {
    s.name = "cinic10";
    s.normalization = computed_normalization(s.train);
  } else if (is_cifar10_class_list(classes)) {
    // CIFAR-10 as images (e.g. the embedded subset) keeps the paper's constants.
    s.name = "cifar10";
    s.normalization = cifar10_normalization();
  } else {
    s.normalization = computed_normalization(s.train);
  }
  return s;
}

}  // namespace

fs::path default_data_dir() {
  if (const char* env = std::getenv("BGM_DATA_DIR")) return fs::path(env);
  return fs::path(BGM_SOURCE_DIR) / "data" / "cifar10-small";
}

DataSplits load_data(const fs::path& dir, const std::string& where_given, bool resize) {
  const std::string where = where_given.empty() ? "--data " + dir.string() : where_given;
  const std::string expected =
      "a directory with CIFAR-10 binaries (data_batch_*.bin, test_batch.bin), CIFAR-100 "
      "binaries (train.bin, test.bin), an ImageNet tree (train/n*/ and val/n*/) or image folders "
      "train/<class>/ and test/<class>/";
  if (!fs::exists(dir)) throw input_error(where, "a missing path", expected);
  if (!fs::is_directory(dir)) throw input_error(where, "a file", expected);
  if (fs::is_empty(dir)) throw input_error(where, "an empty directory", expected);

  CifarKind kind;
  fs::path cifar_dir;
  if (find_cifar_dir(dir, &kind, &cifar_dir)) return load_cifar(cifar_dir, kind);
  if (is_imagenet_tree(dir)) return load_restricted_imagenet(dir, default_cache_dir());
  if (is_image_folder_tree(dir)) return load_image_folder(dir, resize);
  throw input_error(where, "a directory with neither layout", expected);
}

Dataset balanced_subset(const Dataset& set, int64_t n, uint64_t seed, const std::string& option) {
  if (n > set.size())
    throw input_error(option + " " + std::to_string(n), "a set of " + std::to_string(set.size()) + " images",
                      "a subset size of at most " + std::to_string(set.size()));
  if (n <= 0 || n == set.size()) return set;
  const int classes = set.num_classes();
  std::vector<std::vector<int64_t>> by_class(classes);
  const auto* labels = set.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < set.size(); ++i) by_class[labels[i]].push_back(i);

  Rng rng(seed, "subset/" + option);
  std::vector<int64_t> chosen;
  for (int c = 0; c < classes; ++c) {
    const int64_t want = n / classes + (c < n % classes ? 1 : 0);
    auto& pool = by_class[c];
    if (static_cast<int64_t>(pool.size()) < want)
      throw input_error(option + " " + std::to_string(n),
                        std::to_string(pool.size()) + " images of class '" + set.class_names[c] + "'",
                        "at least " + std::to_string(want) + " per class for a balanced subset");
    rng.shuffle(pool);
    chosen.insert(chosen.end(), pool.begin(), pool.begin() + want);
  }
  std::sort(chosen.begin(), chosen.end());
  return set.select(chosen);
}

}  // namespace bgm
