#pragma once
// How the paper reports a cell repeated over seeds: min, max, mean and standard deviation.
#include <nlohmann/json.hpp>
#include <vector>

namespace bgm {

struct SeedStats {
  double mean = 0, std = 0, min = 0, max = 0;
  std::vector<double> values;  ///< in seed order
};

/// std is the sample standard deviation (n - 1 in the denominator; 0 for a single value).
/// Throws bgm::Error for an empty list.
SeedStats seed_stats(const std::vector<double>& values);

/// {"mean", "std", "min", "max", "n", "values"}.
nlohmann::ordered_json to_json(const SeedStats& s);

}  // namespace bgm
