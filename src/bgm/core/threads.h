#pragma once
// LibTorch starts with one intra-op thread on some machines; bgm sets it to the cores this
// process may run on (its CPU affinity), unless the user asks for a number.

namespace bgm {

/// Cores this process may use (sched_getaffinity), at least 1.
int available_cores();

/// Sets LibTorch's intra-op thread count; requested <= 0 means available_cores().
/// Returns the count in effect.
int configure_threads(int requested);

/// Runs LibTorch on one intra-op thread while it lives, then restores the count. For loops of
/// tiny operations (power iteration on one example): threads gain nothing there, and on a
/// loaded machine every parallel region's barrier waits for a descheduled thread - measured
/// here, 19 s instead of 0.3 s for a VGG16's spectral norms beside another job.
class SingleThreadScope {
 public:
  SingleThreadScope();
  ~SingleThreadScope();
  SingleThreadScope(const SingleThreadScope&) = delete;
  SingleThreadScope& operator=(const SingleThreadScope&) = delete;

 private:
  int previous_;
};

}  // namespace bgm
