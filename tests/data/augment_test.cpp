#include <gtest/gtest.h>

#include <array>
#include <map>

#include "bgm/data/batches.h"
#include "test_util.h"

namespace bgm {
namespace {

// The image shifted by (dy, dx) with zero fill, then optionally flipped, computed naively.
torch::Tensor shifted(const torch::Tensor& img, int dy, int dx, bool flip) {
  auto padded = torch::constant_pad_nd(img.permute({2, 0, 1}), {4, 4, 4, 4}, 0);
  auto crop = padded.slice(1, 4 + dy, 36 + dy).slice(2, 4 + dx, 36 + dx);
  if (flip) crop = crop.flip({2});
  return crop.permute({1, 2, 0});
}

}  // namespace

TEST(Augment, EveryImageIsAPaddedCropOptionallyFlipped) {
  const auto ds = test::synthetic_dataset(64, 10, 11);
  Rng rng(5);
  const auto out = augment_crop_flip(ds.images, rng);
  int flipped = 0, moved = 0;
  for (int64_t i = 0; i < 64; ++i) {
    bool found = false;
    for (int dy = -4; dy <= 4 && !found; ++dy)
      for (int dx = -4; dx <= 4 && !found; ++dx)
        for (bool flip : {false, true})
          if (!found && out[i].equal(shifted(ds.images[i], dy, dx, flip))) {
            found = true;
            flipped += flip;
            moved += (dy != 0 || dx != 0);
          }
    EXPECT_TRUE(found) << "image " << i;
  }
  EXPECT_GT(flipped, 16);  // about half of 64
  EXPECT_LT(flipped, 48);
  EXPECT_GT(moved, 50);    // 80 of 81 offsets move the image
}

TEST(Augment, OffsetsAreUniformInMinus4To4AndHalfTheImagesAreFlipped) {
  // Every pixel names its own place: red = column + 1, green = row + 1 (0 is padding), so each
  // output's centre pixels tell the draw that made it.
  const int64_t n = 8192;
  auto img = torch::empty({32, 32, 3}, torch::kUInt8);
  for (int64_t y = 0; y < 32; ++y)
    for (int64_t x = 0; x < 32; ++x) {
      img[y][x][0] = x + 1;
      img[y][x][1] = y + 1;
      img[y][x][2] = 200;
    }
  Rng rng(17);
  const auto out = augment_crop_flip(img.unsqueeze(0).expand({n, 32, 32, 3}).contiguous(), rng);
  std::map<std::pair<int, int>, int> offsets;
  std::array<int, 9> dy_count{}, dx_count{};
  int flips = 0;
  for (int64_t i = 0; i < n; ++i) {
    const auto a = out[i][16][16], b = out[i][16][17];  // always inside: |offset| <= 4
    const int column16 = a[0].item<int>() - 1, column17 = b[0].item<int>() - 1;
    const bool flip = column17 < column16;  // a flipped image runs right to left
    const int dy = a[1].item<int>() - 1 - 16;
    const int dx = column16 - (flip ? 15 : 16);
    ASSERT_TRUE(dy >= -4 && dy <= 4 && dx >= -4 && dx <= 4) << "image " << i << ": dy " << dy << " dx " << dx;
    ++offsets[{dy, dx}];
    ++dy_count[dy + 4];
    ++dx_count[dx + 4];
    flips += flip;
  }
  EXPECT_EQ(offsets.size(), 81u);  // every offset in [-4, 4]^2 occurs (about 101 times each)
  // Each of the 9 values of dy and of dx: n / 9 = 910 expected, sd about 28; allow 5 sd.
  for (int v = 0; v < 9; ++v) {
    EXPECT_NEAR(dy_count[v], n / 9.0, 140) << "dy " << v - 4;
    EXPECT_NEAR(dx_count[v], n / 9.0, 140) << "dx " << v - 4;
  }
  // Flip probability 1/2: sd of the fraction 0.0055 at n = 8192; allow 5 sd.
  EXPECT_NEAR(flips / static_cast<double>(n), 0.5, 0.028);
}

TEST(Augment, EpochBatchesCoverEveryIndexAndDropTheTail) {
  Rng rng(1);
  auto keep = epoch_batches(300, 128, /*drop_last=*/false, &rng);
  ASSERT_EQ(keep.size(), 3u);
  EXPECT_EQ(keep[2].size(), 44u);
  std::vector<int64_t> all;
  for (auto& b : keep) all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  for (int64_t i = 0; i < 300; ++i) EXPECT_EQ(all[i], i);

  auto drop = epoch_batches(300, 128, /*drop_last=*/true, &rng);
  ASSERT_EQ(drop.size(), 2u);
  // A set smaller than one batch is still trained on.
  EXPECT_EQ(epoch_batches(50, 128, true, &rng).size(), 1u);
}

TEST(Augment, ModelInputIsNormalizedAndChannelsLast) {
  auto batch = torch::full({2, 32, 32, 3}, 255, torch::kUInt8);
  Normalization norm{{0.5f, 0.25f, 0.0f}, {0.5f, 0.25f, 1.0f}, "test"};
  auto x = to_model_input(batch, norm, torch::kCPU, true);
  EXPECT_EQ(x.sizes(), torch::IntArrayRef({2, 3, 32, 32}));
  EXPECT_TRUE(x.is_contiguous(torch::MemoryFormat::ChannelsLast));
  EXPECT_FLOAT_EQ(x[0][0][0][0].item<float>(), 1.0f);  // (1 - 0.5) / 0.5
  EXPECT_FLOAT_EQ(x[1][1][5][7].item<float>(), 3.0f);  // (1 - 0.25) / 0.25
  EXPECT_FLOAT_EQ(x[1][2][31][31].item<float>(), 1.0f);
}

}  // namespace bgm
