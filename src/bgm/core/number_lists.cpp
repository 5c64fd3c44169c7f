#include "bgm/core/number_lists.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

#include "bgm/core/error.h"

namespace bgm {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, sep);) parts.push_back(item);
  return parts;
}

uint64_t parse_u64(const std::string& s) {
  size_t used = 0;
  // stoull alone would take " 5", "+5" and wrap "-5" around.
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) throw std::invalid_argument(s);
  const uint64_t v = std::stoull(s, &used);
  if (used != s.size()) throw std::invalid_argument(s);
  return v;
}

}  // namespace

std::vector<uint64_t> parse_seed_list(const std::string& text, const std::string& option) {
  std::vector<uint64_t> seeds;
  try {
    for (const auto& part : split(text, ',')) {
      const auto dash = part.find('-', 1);
      if (dash == std::string::npos) {
        seeds.push_back(parse_u64(part));
        continue;
      }
      const uint64_t lo = parse_u64(part.substr(0, dash)), hi = parse_u64(part.substr(dash + 1));
      if (hi < lo || hi - lo >= 1000) throw std::invalid_argument(part);
      for (uint64_t s = lo;; ++s) {  // s <= hi would never end for hi = 2^64 - 1
        seeds.push_back(s);
        if (s == hi) break;
      }
    }
  } catch (const std::logic_error&) {
    seeds.clear();
  }
  auto sorted = seeds;
  std::sort(sorted.begin(), sorted.end());
  if (seeds.empty() || std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    throw input_error(option, "'" + text + "'", "distinct seeds as a list and/or ranges, e.g. 1-5 or 0,3,7");
  return seeds;
}

std::vector<int> parse_int_list(const std::string& text, const std::string& option) {
  std::vector<int> values;
  try {
    for (const auto& part : split(text, ',')) {
      const uint64_t v = parse_u64(part);
      if (v < 1 || v > 1000) throw std::invalid_argument(part);
      values.push_back(static_cast<int>(v));
    }
  } catch (const std::logic_error&) {
    values.clear();
  }
  if (values.empty()) throw input_error(option, "'" + text + "'", "a comma-separated list of integers in [1, 1000]");
  return values;
}

}  // namespace bgm
