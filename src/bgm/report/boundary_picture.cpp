#include "bgm/report/boundary_picture.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace bgm {
namespace {

using Rgb = std::array<uint8_t, 3>;

constexpr Rgb kClass0{40, 90, 200}, kClass1{210, 50, 40};        // points
constexpr Rgb kPlane0{205, 220, 250}, kPlane1{250, 210, 205};    // p = 0 / p = 1 backgrounds

void put(RgbImage& img, int x, int y, const Rgb& c) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  std::copy(c.begin(), c.end(), img.pixels.begin() + (static_cast<size_t>(y) * img.width + x) * 3);
}

// A marker of radius r: a dark outline around the fill, round or square.
void marker(RgbImage& img, int cx, int cy, int r, bool square, const Rgb& fill) {
  for (int dy = -r - 1; dy <= r + 1; ++dy)
    for (int dx = -r - 1; dx <= r + 1; ++dx) {
      const double d = square ? std::max(std::abs(dx), std::abs(dy)) : std::sqrt(dx * dx + dy * dy);
      if (d <= r - 0.5) put(img, cx + dx, cy + dy, fill);
      else if (d <= r + 1) put(img, cx + dx, cy + dy, {20, 20, 20});
    }
}

}  // namespace

RgbImage boundary_picture(const torch::Tensor& grid, const PlaneWindow& w, const torch::Tensor& points,
                          const torch::Tensor& labels, const torch::Tensor& true_classes) {
  const int res = static_cast<int>(grid.size(0));
  RgbImage img{res, res, std::vector<uint8_t>(static_cast<size_t>(res) * res * 3)};
  const auto grid_c = grid.contiguous();
  auto g = grid_c.accessor<double, 2>();
  for (int y = 0; y < res; ++y)
    for (int x = 0; x < res; ++x) {
      const double p = 1.0 / (1.0 + std::exp(-g[y][x]));
      Rgb c;
      for (int k = 0; k < 3; ++k) c[k] = static_cast<uint8_t>(std::lround((1 - p) * kPlane0[k] + p * kPlane1[k]));
      // The 0.5 level: a pixel whose right or lower neighbour lies on the other side.
      const bool side = g[y][x] >= 0;
      const bool edge = (x + 1 < res && (g[y][x + 1] >= 0) != side) || (y + 1 < res && (g[y + 1][x] >= 0) != side);
      put(img, x, y, edge ? Rgb{0, 0, 0} : c);
    }
  const auto pts_c = points.to(torch::kFloat64).contiguous();
  auto pts = pts_c.accessor<double, 2>();
  auto lab = labels.to(torch::kFloat64).contiguous();
  auto cls = true_classes.to(torch::kFloat64).contiguous();
  const int r = std::max(2, res / 120);
  for (int64_t i = 0; i < points.size(0); ++i) {
    const int px = static_cast<int>((pts[i][0] - w.x0) / (w.x1 - w.x0) * res);
    const int py = static_cast<int>((w.y1 - pts[i][1]) / (w.y1 - w.y0) * res);
    marker(img, px, py, r, cls[i].item<double>() > 0.5, lab[i].item<double>() > 0.5 ? kClass1 : kClass0);
  }
  return img;
}

RgbImage side_by_side(const std::vector<RgbImage>& panels, int gap) {
  int width = 0;
  const int height = panels.empty() ? 0 : panels[0].height;
  for (const auto& p : panels) width += p.width;
  width += gap * static_cast<int>(panels.size() > 0 ? panels.size() - 1 : 0);
  RgbImage out{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 3, 255)};
  int x0 = 0;
  for (const auto& p : panels) {
    for (int y = 0; y < std::min(height, p.height); ++y)
      std::copy_n(p.pixels.begin() + static_cast<size_t>(y) * p.width * 3, p.width * 3,
                  out.pixels.begin() + (static_cast<size_t>(y) * width + x0) * 3);
    x0 += p.width + gap;
  }
  return out;
}

RgbImage stacked(const std::vector<RgbImage>& rows, int gap) {
  int width = 0, height = 0;
  for (const auto& r : rows) {
    width = std::max(width, r.width);
    height += r.height;
  }
  height += gap * static_cast<int>(rows.size() > 0 ? rows.size() - 1 : 0);
  RgbImage out{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 3, 255)};
  int y0 = 0;
  for (const auto& r : rows) {
    for (int y = 0; y < r.height; ++y)
      std::copy_n(r.pixels.begin() + static_cast<size_t>(y) * r.width * 3, r.width * 3,
                  out.pixels.begin() + static_cast<size_t>(y0 + y) * width * 3);
    y0 += r.height + gap;
  }
  return out;
}

}  // namespace bgm
