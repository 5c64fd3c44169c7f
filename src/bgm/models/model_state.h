#pragma once
// A model's state in PyTorch's state_dict order and names, and the operations on it that the
// rest of bgm needs (copy, trainable-parameter view, save to a file torch.load reads).
#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace bgm {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

/// Every parameter and buffer, keyed and ordered as PyTorch's module.state_dict() would be.
NamedTensors state_dict(const torch::nn::Module& model);

/// The trainable parameters only (no BN running statistics), in state_dict order.
NamedTensors trainable_parameters(const torch::nn::Module& model);

/// The module itself, then all its descendants in pre-order; unlike modules(true) it works for
/// a module not held by a shared_ptr.
std::vector<torch::nn::Module*> module_tree(torch::nn::Module& model);

/// Copies every parameter and buffer of src into dst (same architecture), without autograd.
void copy_state(const torch::nn::Module& src, torch::nn::Module& dst);

/// Number of trainable scalars.
int64_t count_parameters(const torch::nn::Module& model);

/// Saves the state as a pickled dict of CPU tensors that Python's torch.load reads
/// (written to a temporary name, then renamed).
void save_state_dict(const torch::nn::Module& model, const std::filesystem::path& path);

/// Loads a file written by save_state_dict into model; throws bgm::Error naming the file and
/// key if a key is missing, unexpected or of the wrong shape.
void load_state_dict(torch::nn::Module& model, const std::filesystem::path& path);

}  // namespace bgm
