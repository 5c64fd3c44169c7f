#pragma once
// A labelled image set held in memory as one uint8 tensor, decoded once. Images are stored
// HWC (N, 32, 32, 3) exactly as decoders and the CIFAR binaries give pixels; the batch pipeline
// turns them into float NCHW tensors in channels-last memory, which is the same byte order.
#include <torch/torch.h>

#include <array>
#include <string>
#include <vector>

namespace bgm {

constexpr int64_t kImageSide = 32;
constexpr int64_t kImageChannels = 3;
constexpr int64_t kImageEntries = kImageSide * kImageSide * kImageChannels;  // 3072

struct Dataset {
  torch::Tensor images;  ///< (N, 32, 32, 3) uint8, contiguous
  torch::Tensor labels;  ///< (N) int64, in [0, num_classes)
  std::vector<std::string> class_names;

  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
  int num_classes() const { return static_cast<int>(class_names.size()); }
  /// The images at the given positions, in that order (labels and class names follow).
  Dataset select(const std::vector<int64_t>& indices) const;
  /// FNV-1a 64 over the pixels, labels and class names: identifies the content, not the path.
  uint64_t content_hash() const;
};

/// Per-channel normalization applied after scaling pixels to [0, 1]: (x - mean) / std.
struct Normalization {
  std::array<float, 3> mean{};
  std::array<float, 3> std{};
  std::string source;  ///< "paper CIFAR-10 constants" or "computed from the training split"
};

/// The reference code's CIFAR-10 constants (PAPER.md).
Normalization cifar10_normalization();
/// Per-channel mean and standard deviation of a set's pixels in [0, 1].
Normalization computed_normalization(const Dataset& train);

/// A training split, a test split and where they came from.
struct DataSplits {
  std::string name;    ///< "cifar10", "cifar100" or "imagefolder"
  std::string source;  ///< the directory read
  Dataset train;
  Dataset test;
  Normalization normalization;
};

}  // namespace bgm
