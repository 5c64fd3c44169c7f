#include "bgm/measure/seed_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "bgm/core/error.h"

namespace bgm {

SeedStats seed_stats(const std::vector<double>& values) {
  if (values.empty()) throw Error("seed_stats: no values");
  SeedStats s;
  s.values = values;
  const double n = static_cast<double>(values.size());
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double ss = 0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.std = values.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  return s;
}

nlohmann::ordered_json to_json(const SeedStats& s) {
  return {{"mean", s.mean}, {"std", s.std}, {"min", s.min}, {"max", s.max},
          {"n", s.values.size()}, {"values", s.values}};
}

}  // namespace bgm
