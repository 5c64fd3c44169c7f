#include "bgm/report/seed_cell.h"

#include <fmt/core.h>

namespace bgm {

std::string seed_cell(const nlohmann::json& stats, int digits) {
  if (!stats.is_object()) return "-";  // no seed finished the run
  const double mean = stats["mean"].get<double>();
  if (stats["n"].get<int>() == 1) return fmt::format("{:.{}f}", mean, digits);
  return fmt::format("{:.{}f} ± {:.{}f} ({:.{}f}-{:.{}f})", mean, digits, stats["std"].get<double>(), digits,
                     stats["min"].get<double>(), digits, stats["max"].get<double>(), digits);
}

}  // namespace bgm
