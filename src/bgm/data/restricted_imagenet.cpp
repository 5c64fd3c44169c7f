#include "bgm/data/restricted_imagenet.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/cifar_binary.h"
#include "bgm/data/image_decode.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

constexpr int kImageNetClasses = 1000;
// Bump when the resizing or the cache layout changes, so stale caches are not read.
constexpr int kCacheVersion = 1;

struct Range {
  int first, last;  // inclusive ImageNet class indices
};

// PAPER.md's ranges, in the order of restricted_imagenet_classes().
const std::vector<Range> kRanges = {{151, 268}, {281, 285}, {30, 32},   {33, 37},  {80, 100},
                                    {365, 382}, {389, 397}, {118, 121}, {300, 319}};

std::vector<std::string> wordnet_ids(const fs::path& split_dir) {
  static const std::regex wnid("n[0-9]{8}");
  std::vector<std::string> ids;
  for (const auto& e : fs::directory_iterator(split_dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() && std::regex_match(name, wnid)) ids.push_back(name);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

fs::path eval_split_dir(const fs::path& root) {
  if (fs::is_directory(root / "val")) return root / "val";
  if (fs::is_directory(root / "test")) return root / "test";
  throw input_error(root.string(), "no val/ or test/ folder", "an ImageNet tree with train/ and val/");
}

Dataset decode_split(const fs::path& split_dir, const std::vector<std::string>& ids) {
  std::vector<std::pair<fs::path, int64_t>> items;
  for (int i = 0; i < kImageNetClasses; ++i) {
    const int label = restricted_imagenet_class(i);
    if (label < 0 || !fs::is_directory(split_dir / ids[i])) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(split_dir / ids[i]))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto& f : files) items.emplace_back(f, label);
  }
  if (items.empty())
    throw input_error(split_dir.string(), "no images of the 9 super-classes", "ImageNet class folders with images");
  const auto n = static_cast<int64_t>(items.size());
  Dataset ds;
  ds.images = torch::empty({n, kImageSide, kImageSide, kImageChannels}, torch::kUInt8);
  ds.labels = torch::empty({n}, torch::kInt64);
  ds.class_names = restricted_imagenet_classes();
  uint8_t* pixels = ds.images.data_ptr<uint8_t>();
  int64_t* labels = ds.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    decode_image_resized_32(read_file(items[i].first), items[i].first, pixels + i * kImageEntries);
    labels[i] = items[i].second;
    if ((i + 1) % 10000 == 0) fmt::print(stderr, "Restricted ImageNet: {} / {} images of {} resized\n", i + 1, n, split_dir.string());
  }
  return ds;
}

Dataset read_cached(const fs::path& file) {
  Dataset ds = parse_cifar_records(read_file(file), CifarKind::kCifar10, file);
  ds.class_names = restricted_imagenet_classes();
  return ds;
}

}  // namespace

const std::vector<std::string>& restricted_imagenet_classes() {
  static const std::vector<std::string> names = {"dog",     "cat",  "frog", "turtle", "bird",
                                                 "primate", "fish", "crab", "insect"};
  return names;
}

int restricted_imagenet_class(int imagenet_index) {
  for (size_t c = 0; c < kRanges.size(); ++c)
    if (imagenet_index >= kRanges[c].first && imagenet_index <= kRanges[c].last) return static_cast<int>(c);
  return -1;
}

bool is_imagenet_tree(const fs::path& root) {
  return fs::is_directory(root / "train") && wordnet_ids(root / "train").size() == kImageNetClasses;
}

fs::path default_cache_dir() {
  if (const char* dir = std::getenv("BGM_CACHE_DIR")) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME")) return fs::path(xdg) / "bgm";
  if (const char* home = std::getenv("HOME")) return fs::path(home) / ".cache" / "bgm";
  return fs::temp_directory_path() / "bgm-cache";
}

DataSplits load_restricted_imagenet(const fs::path& root, const fs::path& cache_dir) {
  const auto ids = wordnet_ids(root / "train");
  if (ids.size() != kImageNetClasses)
    throw input_error((root / "train").string(), std::to_string(ids.size()) + " WordNet-id folders",
                      "the 1000 ImageNet class folders");
  const fs::path source = fs::weakly_canonical(root);
  // One cache entry per source tree; delete it to rebuild after the tree changes.
  const std::string key = fmt::format("restricted-imagenet-v{}-{:016x}", kCacheVersion,
                                      std::hash<std::string>{}(source.string()));
  const fs::path dir = cache_dir / key;
  DataSplits s;
  s.name = "restricted_imagenet";
  s.source = source.string();
  if (fs::exists(dir / "info.json")) {
    s.train = read_cached(dir / "train.bin");
    s.test = read_cached(dir / "test.bin");
  } else {
    fmt::print(stderr, "Restricted ImageNet: resizing {} to 32x32 once; cache {}\n", source.string(), dir.string());
    s.train = decode_split(root / "train", ids);
    s.test = decode_split(eval_split_dir(root), ids);
    write_file_atomic(dir / "train.bin", cifar10_records(s.train));
    write_file_atomic(dir / "test.bin", cifar10_records(s.test));
    write_json_atomic(dir / "info.json", nlohmann::json{{"source", source.string()},
                                                        {"train_images", s.train.size()},
                                                        {"test_images", s.test.size()},
                                                        {"classes", restricted_imagenet_classes()},
                                                        {"resize", "decode, then area average to 32x32"},
                                                        {"version", kCacheVersion}});
  }
  s.normalization = computed_normalization(s.train);
  return s;
}

}  // namespace bgm
