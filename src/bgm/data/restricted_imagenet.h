#pragma once
// Restricted ImageNet: the ImageNet images of 9 super-classes, given by ranges of the 1000 class
// indices (sorted WordNet-id order), resized once to 32x32 and cached on disk so later runs
// start in seconds. Other classes are dropped.
#include <filesystem>
#include <string>
#include <vector>

#include "bgm/data/dataset.h"

namespace bgm {

/// The super-classes in label order: dog, cat, frog, turtle, bird, primate, fish, crab, insect.
const std::vector<std::string>& restricted_imagenet_classes();

/// The super-class (0..8) of an ImageNet class index (0..999), or -1 if it is dropped.
int restricted_imagenet_class(int imagenet_index);

/// True if root/train holds the 1000 ImageNet class folders (WordNet ids such as n01440764).
bool is_imagenet_tree(const std::filesystem::path& root);

/// Where resized sets are cached: $BGM_CACHE_DIR, else $XDG_CACHE_HOME/bgm, else ~/.cache/bgm.
std::filesystem::path default_cache_dir();

/// Loads root/train and root/val (or root/test) of an ImageNet tree as Restricted ImageNet.
/// The first call decodes and resizes every kept image and writes the result under cache_dir
/// (CIFAR-10-style binary records plus a JSON description); later calls read the cache.
DataSplits load_restricted_imagenet(const std::filesystem::path& root, const std::filesystem::path& cache_dir);

}  // namespace bgm
