#pragma once
// Seeded random streams. Every consumer of randomness (init, data order, augmentation,
// Algorithm 1, subsets) draws from its own stream derived from the run's seed and a name, so
// changing one consumer never shifts the numbers another sees. The generator is std::mt19937_64
// and the integer draws are our own (not std::uniform_int_distribution, whose algorithm is
// implementation-defined), so a seed means the same numbers on every standard library.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace bgm {

/// 64-bit FNV-1a of bytes, continuing from `h` (stable everywhere: names run directories).
uint64_t fnv1a64(const void* data, size_t size, uint64_t h = 0xcbf29ce484222325ULL);

/// Mixes a seed with a stream name into an independent 64-bit seed (splitmix64 over FNV-1a).
uint64_t derive_seed(uint64_t seed, const std::string& stream);
/// The seed of item `index`'s own stream within a stream: random access to per-item draws
/// (Algorithm 1's copy j is made from (seed, j) alone, in any order, on any thread).
uint64_t derive_seed(uint64_t stream_seed, uint64_t index);

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  Rng(uint64_t seed, const std::string& stream) : engine_(derive_seed(seed, stream)) {}

  uint64_t next() { return engine_(); }
  /// Uniform integer in [0, n), unbiased (rejection sampling).
  uint64_t below(uint64_t n);
  /// Uniform double in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Standard normal draw (Box-Muller on two uniforms; no cached second value).
  double gaussian();

  /// Fisher-Yates shuffle.
  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }
  /// A random permutation of 0..n-1.
  std::vector<int64_t> permutation(int64_t n);

  std::mt19937_64& engine() { return engine_; }

  /// The generator's whole state as text (the standard's operator<< format), for checkpoints.
  std::string state() const;
  /// Restores a state(); throws bgm::Error if the text is not one.
  void set_state(const std::string& text);

 private:
  std::mt19937_64 engine_;
};

}  // namespace bgm
