#include "bgm/data/dataset.h"

#include "bgm/core/random.h"

namespace bgm {

Dataset Dataset::select(const std::vector<int64_t>& indices) const {
  auto idx = torch::tensor(indices, torch::kInt64);
  return Dataset{images.index_select(0, idx).contiguous(), labels.index_select(0, idx), class_names};
}

uint64_t Dataset::content_hash() const {
  uint64_t h = fnv1a64(nullptr, 0);
  if (size() > 0) {
    const auto pixels = images.contiguous();
    const auto lab = labels.contiguous();
    h = fnv1a64(pixels.data_ptr(), pixels.numel(), h);
    h = fnv1a64(lab.data_ptr(), lab.numel() * sizeof(int64_t), h);
  }
  for (const auto& name : class_names) h = fnv1a64(name.c_str(), name.size() + 1, h);
  return h;
}

Normalization cifar10_normalization() {
  return {{0.4914f, 0.4822f, 0.4465f}, {0.2023f, 0.1994f, 0.2010f}, "paper CIFAR-10 constants"};
}

Normalization computed_normalization(const Dataset& train) {
  auto pixels = train.images.reshape({-1, kImageChannels}).to(torch::kFloat64).div_(255.0);
  auto mean = pixels.mean(0);
  auto std = pixels.std(0, /*unbiased=*/false);
  Normalization n;
  for (int c = 0; c < 3; ++c) {
    n.mean[c] = static_cast<float>(mean[c].item<double>());
    n.std[c] = static_cast<float>(std[c].item<double>());
  }
  n.source = "computed from the training split";
  return n;
}

}  // namespace bgm
