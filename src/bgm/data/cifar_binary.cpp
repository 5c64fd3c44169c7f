#include "bgm/data/cifar_binary.h"

#include <fstream>

#include "bgm/core/error.h"
#include "bgm/core/files.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

constexpr int kCifar100CoarseClasses = 20;

const std::vector<std::string> kCifar10Train = {"data_batch_1.bin", "data_batch_2.bin",
                                                "data_batch_3.bin", "data_batch_4.bin",
                                                "data_batch_5.bin"};
const std::vector<std::string> kCifar10Classes = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                  "dog",      "frog",       "horse", "ship", "truck"};

std::vector<std::string> read_lines(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::vector<std::string> class_names(const fs::path& dir, CifarKind kind) {
  if (kind == CifarKind::kCifar10) {
    auto names = read_lines(dir / "batches.meta.txt");
    return names.size() == 10 ? names : kCifar10Classes;
  }
  auto names = read_lines(dir / "fine_label_names.txt");
  if (names.size() == 100) return names;
  names.clear();
  for (int i = 0; i < 100; ++i) names.push_back("class_" + std::to_string(i));
  return names;
}

Dataset concat(const std::vector<Dataset>& parts) {
  std::vector<torch::Tensor> images, labels;
  for (const auto& p : parts) {
    images.push_back(p.images);
    labels.push_back(p.labels);
  }
  return Dataset{torch::cat(images), torch::cat(labels), parts.front().class_names, nullptr};
}

Dataset load_files(const fs::path& dir, const std::vector<std::string>& files, CifarKind kind) {
  std::vector<Dataset> parts;
  for (const auto& f : files) {
    if (!fs::exists(dir / f))
      throw input_error((dir / f).string(), "a missing file", "the official CIFAR binary file");
    parts.push_back(parse_cifar_records(read_file(dir / f), kind, dir / f));
  }
  return concat(parts);
}

}  // namespace

int64_t cifar_record_bytes(CifarKind kind) {
  return kind == CifarKind::kCifar10 ? 1 + kImageEntries : 2 + kImageEntries;
}

Dataset parse_cifar_records(const std::string& bytes, CifarKind kind, const fs::path& path) {
  const int64_t record = cifar_record_bytes(kind);
  const auto size = static_cast<int64_t>(bytes.size());
  if (size == 0 || size % record != 0)
    throw input_error(path.string(), std::to_string(size) + " bytes",
                      "a positive multiple of the " + std::to_string(record) + "-byte record");
  const int64_t n = size / record;
  const int label_offset = kind == CifarKind::kCifar10 ? 0 : 1;  // CIFAR-100: fine label
  const int num_classes = kind == CifarKind::kCifar10 ? 10 : 100;

  Dataset ds;
  ds.images = torch::empty({n, kImageSide, kImageSide, kImageChannels}, torch::kUInt8);
  ds.labels = torch::empty({n}, torch::kInt64);
  auto* out = ds.images.data_ptr<uint8_t>();
  auto* labels = ds.labels.data_ptr<int64_t>();
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  const int64_t plane = kImageSide * kImageSide;
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* rec = in + i * record;
    const int label = rec[label_offset];
    if (label >= num_classes)
      throw input_error(path.string() + " record " + std::to_string(i),
                        "label byte " + std::to_string(label),
                        "a label in 0.." + std::to_string(num_classes - 1));
    if (kind == CifarKind::kCifar100 && rec[0] >= kCifar100CoarseClasses)
      throw input_error(path.string() + " record " + std::to_string(i),
                        "coarse label byte " + std::to_string(rec[0]),
                        "a coarse label in 0.." + std::to_string(kCifar100CoarseClasses - 1));
    labels[i] = label;
    // Planar RGB -> interleaved HWC.
    const uint8_t* pix = rec + (kind == CifarKind::kCifar10 ? 1 : 2);
    uint8_t* dst = out + i * kImageEntries;
    for (int64_t p = 0; p < plane; ++p)
      for (int c = 0; c < kImageChannels; ++c) dst[p * kImageChannels + c] = pix[c * plane + p];
  }
  return ds;
}

std::string cifar10_records(const Dataset& set) {
  const int64_t record = cifar_record_bytes(CifarKind::kCifar10);
  const int64_t plane = kImageSide * kImageSide;
  std::string out(static_cast<size_t>(set.size() * record), '\0');
  const auto images = set.slice(0, set.size()).contiguous();  // a derived set's images made here
  const uint8_t* in = images.data_ptr<uint8_t>();
  const int64_t* labels = set.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < set.size(); ++i) {
    TORCH_CHECK(labels[i] >= 0 && labels[i] < 256, "label ", labels[i], " does not fit a CIFAR record");
    char* rec = out.data() + i * record;
    rec[0] = static_cast<char>(labels[i]);
    const uint8_t* src = in + i * kImageEntries;
    for (int64_t p = 0; p < plane; ++p)  // interleaved HWC -> planar RGB
      for (int c = 0; c < kImageChannels; ++c) rec[1 + c * plane + p] = static_cast<char>(src[p * kImageChannels + c]);
  }
  return out;
}

bool find_cifar_dir(const fs::path& root, CifarKind* kind, fs::path* dir) {
  for (const fs::path& d : {root, root / "cifar-10-batches-bin", root / "cifar-100-binary"}) {
    if (fs::exists(d / "data_batch_1.bin")) {
      *kind = CifarKind::kCifar10;
      *dir = d;
      return true;
    }
    if (fs::exists(d / "train.bin")) {
      *kind = CifarKind::kCifar100;
      *dir = d;
      return true;
    }
  }
  return false;
}

DataSplits load_cifar(const fs::path& dir, CifarKind kind) {
  DataSplits s;
  s.source = dir.string();
  const bool c10 = kind == CifarKind::kCifar10;
  s.name = c10 ? "cifar10" : "cifar100";
  s.train = load_files(dir, c10 ? kCifar10Train : std::vector<std::string>{"train.bin"}, kind);
  s.test = load_files(dir, {c10 ? "test_batch.bin" : "test.bin"}, kind);
  s.train.class_names = s.test.class_names = class_names(dir, kind);
  s.normalization = c10 ? cifar10_normalization() : computed_normalization(s.train);
  return s;
}

}  // namespace bgm
