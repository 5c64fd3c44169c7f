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

/// Saves named tensors as a dict that Python's torch.load reads (CPU, contiguous), atomically.
void save_tensors(const NamedTensors& tensors, const std::filesystem::path& path);

/// Saves the state as a pickled dict of CPU tensors that Python's torch.load reads
/// (written to a temporary name, then renamed).
void save_state_dict(const torch::nn::Module& model, const std::filesystem::path& path);

/// The tensors of a state_dict file, in file order: one saved by save_state_dict, by Python's
/// torch.save(model.state_dict()) (an OrderedDict), or a dict holding one under "state_dict",
/// "model_state_dict", "model" or "net"; a "module." prefix on every key (DataParallel) is
/// dropped. Throws bgm::Error naming the file on anything else.
NamedTensors read_state_dict(const std::filesystem::path& path);

/// Copies named tensors (state_dict keys) into model; throws bgm::Error naming `where` and the
/// key if a key is missing, unexpected or of the wrong shape or kind.
void load_named_tensors(torch::nn::Module& model, const NamedTensors& tensors, const std::string& where);

/// Loads a state_dict file (read_state_dict) into model; throws bgm::Error naming the file and
/// key if a key is missing, unexpected or of the wrong shape or kind.
void load_state_dict(torch::nn::Module& model, const std::filesystem::path& path);

}  // namespace bgm
