#include "bgm/data/dataset.h"

#include "bgm/core/random.h"

namespace bgm {

torch::Tensor Dataset::gather(const torch::Tensor& indices) const {
  if (!recipe) return images.index_select(0, indices);
  const auto idx = indices.to(torch::kInt64).contiguous();
  const int64_t* j = idx.data_ptr<int64_t>();
  const auto n = static_cast<int64_t>(idx.numel());
  std::vector<int64_t> base(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    TORCH_CHECK(j[i] >= 0 && j[i] < size(), "Dataset::gather: index ", j[i], " is outside 0..", size() - 1);
    base[i] = recipe->base_index(j[i]);
  }
  auto out = images.index_select(0, torch::tensor(base, torch::kInt64)).contiguous();
  uint8_t* pixels = out.data_ptr<uint8_t>();
  // Each image is made on its own: a batch's images in parallel (apply is thread-safe).
  at::parallel_for(0, n, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) recipe->apply(j[i], pixels + i * kImageEntries);
  });
  return out;
}

torch::Tensor Dataset::slice(int64_t start, int64_t count) const {
  if (!recipe) return images.narrow(0, start, count);
  return gather(torch::arange(start, start + count, torch::kInt64));
}

Dataset Dataset::select(const std::vector<int64_t>& indices) const {
  auto idx = torch::tensor(indices, torch::kInt64);
  return Dataset{gather(idx).contiguous(), labels.index_select(0, idx), class_names, nullptr};
}

Dataset Dataset::stored() const {
  if (!recipe) return *this;
  return Dataset{slice(0, size()), labels, class_names, nullptr};
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
  if (recipe) {
    const uint64_t r = recipe->hash();
    h = fnv1a64(&r, sizeof r, h);
  }
  return h;
}

Normalization cifar10_normalization() {
  return {{0.4914f, 0.4822f, 0.4465f}, {0.2023f, 0.1994f, 0.2010f}, "paper CIFAR-10 constants"};
}

Normalization computed_normalization(const Dataset& train) {
  TORCH_CHECK(!train.recipe, "computed_normalization: a derived set; pass the set it derives from");
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
