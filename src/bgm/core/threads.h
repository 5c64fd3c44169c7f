#pragma once
// LibTorch starts with one intra-op thread on some machines; bgm sets it to the cores this
// process may run on (its CPU affinity), unless the user asks for a number.

namespace bgm {

/// Cores this process may use (sched_getaffinity), at least 1.
int available_cores();

/// Sets LibTorch's intra-op thread count; requested <= 0 means available_cores().
/// Returns the count in effect.
int configure_threads(int requested);

}  // namespace bgm
