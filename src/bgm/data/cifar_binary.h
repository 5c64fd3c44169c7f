#pragma once
// The official CIFAR-10 and CIFAR-100 binary releases (byte layout in PAPER.md): records of a
// label byte (CIFAR-100: coarse then fine) followed by 1024 red, 1024 green, 1024 blue bytes.
#include <filesystem>
#include <string>
#include <vector>

#include "bgm/data/dataset.h"

namespace bgm {

enum class CifarKind { kCifar10, kCifar100 };

/// Bytes per record: 3073 (CIFAR-10) or 3074 (CIFAR-100).
int64_t cifar_record_bytes(CifarKind kind);

/// Parses records from memory (`path` only names errors). CIFAR-100 keeps the fine label.
/// Throws bgm::Error if the size is not a positive multiple of the record size or a label byte
/// is out of range.
Dataset parse_cifar_records(const std::string& bytes, CifarKind kind,
                            const std::filesystem::path& path);

/// The set as CIFAR-10 records (label byte, then planar R, G, B), e.g. for a cache; labels must
/// fit a byte.
std::string cifar10_records(const Dataset& set);

/// Which CIFAR release the directory holds, if any (also looks one level down into the
/// official archives' folders cifar-10-batches-bin/ and cifar-100-binary/).
bool find_cifar_dir(const std::filesystem::path& root, CifarKind* kind, std::filesystem::path* dir);

/// Loads train and test splits of the release in dir.
DataSplits load_cifar(const std::filesystem::path& dir, CifarKind kind);

}  // namespace bgm
