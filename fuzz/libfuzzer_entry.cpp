// libFuzzer's entry point for one target, chosen at compile time (fuzz/CMakeLists.txt).
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return BGM_FUZZ_TARGET(data, size); }
