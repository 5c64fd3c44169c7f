#include <unordered_set>

#include "bgm/core/error.h"
#include "bgm/core/torch_file.h"
#include "targets.h"

namespace bgm::fuzz {
namespace {

// Visits every value the reader returned once (values may be shared, e.g. by pickle's memo;
// a cycle would never end, and the reader forbids them).
void visit(const PickleRef& v, std::unordered_set<const PickleValue*>& seen) {
  if (!v) throw std::logic_error("a null value");
  if (!seen.insert(v.get()).second) return;
  for (const auto& item : v->items) visit(item, seen);
  for (const auto& [key, value] : v->entries) {
    visit(key, seen);
    visit(value, seen);
  }
  if (v->kind == PickleValue::Kind::kTensor && v->tensor.defined()) (void)v->tensor.sum().item<double>();
}

}  // namespace

int torch_file(const uint8_t* data, size_t size) {
  try {
    std::unordered_set<const PickleValue*> seen;
    visit(read_torch_file(std::string(reinterpret_cast<const char*>(data), size), "fuzz.pt"), seen);
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace bgm::fuzz
