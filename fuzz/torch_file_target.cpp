#include "bgm/core/error.h"
#include "bgm/core/torch_file.h"
#include "targets.h"

namespace bgm::fuzz {
namespace {

// Visits every value the reader returned (a cycle would never end; the reader forbids them).
int64_t count_values(const PickleRef& v) {
  if (!v) throw std::logic_error("a null value");
  int64_t n = 1;
  for (const auto& item : v->items) n += count_values(item);
  for (const auto& [key, value] : v->entries) n += count_values(key) + count_values(value);
  if (v->kind == PickleValue::Kind::kTensor && v->tensor.defined()) (void)v->tensor.sum().item<double>();
  return n;
}

}  // namespace

int torch_file(const uint8_t* data, size_t size) {
  try {
    count_values(read_torch_file(std::string(reinterpret_cast<const char*>(data), size), "fuzz.pt"));
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace bgm::fuzz
