#pragma once
// NumPy's .npy files (format 1.0, little-endian, C order) for uint8 and int64 tensors: how the
// benchmark hands the very bytes bgm trains on to the Python pipeline it is measured against.
#include <torch/torch.h>

#include <filesystem>

namespace bgm {

/// Writes a uint8 or int64 tensor of any shape, atomically.
void write_npy(const std::filesystem::path& path, const torch::Tensor& t);

/// Reads a file write_npy (or numpy.save) wrote with dtype uint8 or int64 in C order; throws
/// bgm::Error naming the file and what was wrong otherwise.
torch::Tensor read_npy(const std::filesystem::path& path);

}  // namespace bgm
