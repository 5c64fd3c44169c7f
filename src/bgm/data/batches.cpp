#include "bgm/data/batches.h"

#include <numeric>

namespace bgm {

std::vector<std::vector<int64_t>> epoch_batches(int64_t n, int64_t batch, bool drop_last, Rng* rng) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  if (rng) rng->shuffle(order);
  std::vector<std::vector<int64_t>> batches;
  for (int64_t start = 0; start < n; start += batch) {
    const int64_t end = std::min(n, start + batch);
    if (drop_last && end - start < batch && !batches.empty()) break;
    batches.emplace_back(order.begin() + start, order.begin() + end);
  }
  return batches;
}

torch::Tensor augment_crop_flip(const torch::Tensor& batch, Rng& rng) {
  constexpr int64_t kPad = 4, S = kImageSide, C = kImageChannels;
  auto src = batch.contiguous();
  auto out = torch::zeros_like(src);
  const int64_t b = src.size(0);
  const uint8_t* in = src.data_ptr<uint8_t>();
  uint8_t* dst = out.data_ptr<uint8_t>();
  for (int64_t i = 0; i < b; ++i) {
    const int64_t dy = static_cast<int64_t>(rng.below(2 * kPad + 1)) - kPad;
    const int64_t dx = static_cast<int64_t>(rng.below(2 * kPad + 1)) - kPad;
    const bool flip = rng.below(2) == 1;
    const uint8_t* img = in + i * kImageEntries;
    uint8_t* o = dst + i * kImageEntries;
    for (int64_t y = 0; y < S; ++y) {
      const int64_t sy = y + dy;
      if (sy < 0 || sy >= S) continue;  // padded rows stay 0
      for (int64_t x = 0; x < S; ++x) {
        const int64_t sx = (flip ? S - 1 - x : x) + dx;
        if (sx < 0 || sx >= S) continue;
        for (int64_t c = 0; c < C; ++c) o[(y * S + x) * C + c] = img[(sy * S + sx) * C + c];
      }
    }
  }
  return out;
}

torch::Tensor to_model_input(const torch::Tensor& batch, const Normalization& norm,
                             torch::Device device, bool channels_last) {
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  // x_norm = x_u8 * scale + shift, scale = 1 / (255 std), shift = -mean / std.
  std::vector<float> scale(3), shift(3);
  for (int c = 0; c < 3; ++c) {
    scale[c] = 1.0f / (255.0f * norm.std[c]);
    shift[c] = -norm.mean[c] / norm.std[c];
  }
  auto s = torch::tensor(scale).view({1, 3, 1, 1}).to(opts);
  auto t = torch::tensor(shift).view({1, 3, 1, 1}).to(opts);
  // The permuted NHWC tensor already has channels-last strides; keep them or make NCHW.
  auto x = batch.to(device).permute({0, 3, 1, 2}).to(torch::kFloat32);
  x = torch::addcmul(t, x, s);
  return channels_last ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x.contiguous();
}

}  // namespace bgm
