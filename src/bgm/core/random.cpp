#include "bgm/core/random.h"

#include <cmath>
#include <numeric>
#include <sstream>

#include "bgm/core/error.h"

namespace bgm {
namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t fnv1a64(const void* data, size_t size, uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

uint64_t derive_seed(uint64_t seed, const std::string& stream) {
  return splitmix64(splitmix64(seed) ^ fnv1a64(stream.data(), stream.size()));
}

uint64_t derive_seed(uint64_t stream_seed, uint64_t index) {
  return splitmix64(splitmix64(stream_seed) ^ splitmix64(~index));
}

uint64_t Rng::below(uint64_t n) {
  // Reject the top partial block so every residue is equally likely.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = next();
  while (x >= limit);
  return x % n;
}

double Rng::gaussian() {
  const double u1 = 1.0 - uniform();  // in (0, 1]: log is finite
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

std::vector<int64_t> Rng::permutation(int64_t n) {
  std::vector<int64_t> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  shuffle(v);
  return v;
}

std::string Rng::state() const {
  std::ostringstream out;
  out << engine_;
  return out.str();
}

void Rng::set_state(const std::string& text) {
  std::istringstream in(text);
  std::mt19937_64 e;
  in >> e;
  if (in.fail()) throw Error("a random stream state that is not an mt19937_64 state (" + std::to_string(text.size()) + " characters)");
  engine_ = e;
}

}  // namespace bgm
