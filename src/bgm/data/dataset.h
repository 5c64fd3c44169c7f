#pragma once
// A labelled image set held in memory as one uint8 tensor, decoded once. Images are stored
// HWC (N, 32, 32, 3) exactly as decoders and the CIFAR binaries give pixels; the batch pipeline
// turns them into float NCHW tensors in channels-last memory, which is the same byte order.
#include <torch/torch.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace bgm {

constexpr int64_t kImageSide = 32;
constexpr int64_t kImageChannels = 3;
constexpr int64_t kImageEntries = kImageSide * kImageSide * kImageChannels;  // 3072

/// How a derived set makes its image j from a stored base image when a batch asks for it, so
/// that a set of N * R noisy copies (Algorithm 1) holds N images in memory, not N * R.
class ImageRecipe {
 public:
  virtual ~ImageRecipe() = default;
  /// The stored image that image j is made from.
  virtual int64_t base_index(int64_t j) const = 0;
  /// Turns `image` (3072 bytes, HWC), a copy of the base image, into image j in place. Called
  /// from several threads at once, for different images.
  virtual void apply(int64_t j, uint8_t* image) const = 0;
  /// Identifies the recipe and its parameters (part of the set's content hash).
  virtual uint64_t hash() const = 0;
};

struct Dataset {
  torch::Tensor images;  ///< (N, 32, 32, 3) uint8, contiguous: the images, or a recipe's base images
  torch::Tensor labels;  ///< (N) int64, in [0, num_classes); N = size() also for a recipe
  std::vector<std::string> class_names;
  /// Set for a derived set: image j is recipe->apply(j) of images[recipe->base_index(j)].
  std::shared_ptr<const ImageRecipe> recipe;

  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
  int num_classes() const { return static_cast<int>(class_names.size()); }
  /// The (B, 32, 32, 3) uint8 images at the given positions, in that order. Every batch of
  /// training, evaluation and measurement is drawn through here or slice().
  torch::Tensor gather(const torch::Tensor& indices) const;
  /// Images start .. start + count - 1 (a view for a stored set).
  torch::Tensor slice(int64_t start, int64_t count) const;
  /// The images at the given positions, in that order (labels and class names follow), stored.
  Dataset select(const std::vector<int64_t>& indices) const;
  /// The same set with every image stored (a derived set's N * R images made once).
  Dataset stored() const;
  /// FNV-1a 64 over the pixels, labels and class names (and a recipe's hash): identifies the
  /// content, not the path.
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
