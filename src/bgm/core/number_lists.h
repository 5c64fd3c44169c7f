#pragma once
// The lists a study's flags take: seeds ("1-5", "0,3,7") and small positive integers ("1,2,4,8").
#include <cstdint>
#include <string>
#include <vector>

namespace bgm {

/// Parses a seed list: "1-5", "0,3,7" or a mix ("0-2,9"); throws bgm::Error naming `option`.
std::vector<uint64_t> parse_seed_list(const std::string& text, const std::string& option);
/// Parses a list of positive integers ("1,2,4,8"); throws bgm::Error naming `option`.
std::vector<int> parse_int_list(const std::string& text, const std::string& option);

}  // namespace bgm
