#include <torch/torch.h>

#include "bgm/core/error.h"
#include "bgm/data/cifar_binary.h"
#include "targets.h"

namespace bgm::fuzz {

int cifar_records(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const CifarKind kind = data[0] % 2 ? CifarKind::kCifar100 : CifarKind::kCifar10;
  const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const Dataset set = parse_cifar_records(bytes, kind, "fuzz.bin");
    // Accepted: one image per record, labels within the release's classes.
    const int64_t records = static_cast<int64_t>(bytes.size()) / cifar_record_bytes(kind);
    if (set.size() != records || set.images.size(0) != records) throw std::logic_error("wrong record count");
    const int64_t classes = kind == CifarKind::kCifar10 ? 10 : 100;  // named later by load_cifar
    if (set.labels.numel() > 0 && (set.labels.min().item<int64_t>() < 0 || set.labels.max().item<int64_t>() >= classes))
      throw std::logic_error("a label outside the classes");
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace bgm::fuzz
