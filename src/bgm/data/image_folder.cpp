#include "bgm/data/image_folder.h"

#include <algorithm>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/image_decode.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

bool is_image_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

std::vector<fs::path> sorted_images(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && is_image_name(e.path())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

bool is_image_folder_tree(const fs::path& root) {
  return fs::is_directory(root / "train") && fs::is_directory(root / "test");
}

std::vector<std::string> image_folder_classes(const fs::path& root) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(root / "train"))
    if (e.is_directory()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  if (names.empty())
    throw input_error((root / "train").string(), "no class folders", "one folder per class");
  return names;
}

Dataset load_image_folder_split(const fs::path& root, const std::string& split,
                                const std::vector<std::string>& class_names, bool resize) {
  std::vector<std::pair<fs::path, int64_t>> items;
  for (size_t c = 0; c < class_names.size(); ++c) {
    fs::path dir = root / split / class_names[c];
    if (!fs::is_directory(dir))
      throw input_error(dir.string(), "a missing folder", "a folder for class '" + class_names[c] +
                                                              "' as in train/");
    const auto images = sorted_images(dir);
    if (images.empty())
      throw input_error(dir.string(), "an empty class folder", "at least one .jpg/.jpeg/.png image per class");
    for (auto& f : images) items.emplace_back(f, static_cast<int64_t>(c));
  }
  if (items.empty())
    throw input_error((root / split).string(), "no .jpg/.jpeg/.png images", "at least one image");

  const auto n = static_cast<int64_t>(items.size());
  Dataset ds;
  ds.images = torch::empty({n, kImageSide, kImageSide, kImageChannels}, torch::kUInt8);
  ds.labels = torch::empty({n}, torch::kInt64);
  ds.class_names = class_names;
  uint8_t* pixels = ds.images.data_ptr<uint8_t>();
  int64_t* labels = ds.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    const std::string bytes = read_file(items[i].first);
    if (resize)
      decode_image_resized_32(bytes, items[i].first, pixels + i * kImageEntries);
    else
      decode_image_32(bytes, items[i].first, pixels + i * kImageEntries);
    labels[i] = items[i].second;
  }
  return ds;
}

}  // namespace bgm
