#include "bgm/core/threads.h"

#include <ATen/Parallel.h>
#include <sched.h>

#include <thread>

namespace bgm {

int available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

int configure_threads(int requested) {
  int n = requested > 0 ? requested : available_cores();
  at::set_num_threads(n);
  return at::get_num_threads();
}

SingleThreadScope::SingleThreadScope() : previous_(at::get_num_threads()) { at::set_num_threads(1); }

SingleThreadScope::~SingleThreadScope() { at::set_num_threads(previous_); }

}  // namespace bgm
