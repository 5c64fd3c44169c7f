#pragma once
// An image-folder tree: ROOT/train/<class>/* and ROOT/test/<class>/*, JPEG or PNG, 32x32.
// Classes are the sorted folder names of train/ (torchvision's ImageFolder rule), which for
// CIFAR-10's names is also CIFAR-10's official label order.
#include <filesystem>

#include "bgm/data/dataset.h"

namespace bgm {

/// True if root has train/ and test/ subdirectories.
bool is_image_folder_tree(const std::filesystem::path& root);

/// Decodes every .jpg/.jpeg/.png of root/split/<class>/ (files in name order). Images must be
/// 32x32 unless `resize` (then they are area-averaged to 32x32). Throws bgm::Error naming the
/// folder if a class folder holds no images, or naming the file that fails.
Dataset load_image_folder_split(const std::filesystem::path& root, const std::string& split,
                                const std::vector<std::string>& class_names, bool resize = false);

/// The sorted class folder names under root/train.
std::vector<std::string> image_folder_classes(const std::filesystem::path& root);

}  // namespace bgm
