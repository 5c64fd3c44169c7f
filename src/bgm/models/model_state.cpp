#include "bgm/models/model_state.h"

#include <map>

#include "bgm/core/error.h"
#include "bgm/core/files.h"

namespace bgm {
namespace {

std::string join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

std::string shape_string(const torch::Tensor& t) {
  std::string s = "[";
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? ", " : "") + std::to_string(t.size(d));
  return s + "]";
}

}  // namespace

NamedTensors state_dict(const torch::nn::Module& model) {
  // PyTorch's order: each module (pre-order) contributes its own parameters, then its buffers.
  NamedTensors out;
  for (const auto& item : model.named_modules("", /*include_self=*/true)) {
    for (const auto& p : item.value()->named_parameters(/*recurse=*/false))
      out.emplace_back(join(item.key(), p.key()), p.value());
    for (const auto& b : item.value()->named_buffers(/*recurse=*/false))
      out.emplace_back(join(item.key(), b.key()), b.value());
  }
  return out;
}

NamedTensors trainable_parameters(const torch::nn::Module& model) {
  NamedTensors out;
  for (const auto& p : model.named_parameters(/*recurse=*/true))
    if (p.value().requires_grad()) out.emplace_back(p.key(), p.value());
  return out;
}

void copy_state(const torch::nn::Module& src, torch::nn::Module& dst) {
  torch::NoGradGuard no_grad;
  auto from = state_dict(src);
  auto to = state_dict(dst);
  TORCH_CHECK(from.size() == to.size(), "copy_state: ", from.size(), " vs ", to.size(), " entries");
  for (size_t i = 0; i < from.size(); ++i) {
    TORCH_CHECK(from[i].first == to[i].first, "copy_state: key ", from[i].first, " vs ", to[i].first);
    to[i].second.copy_(from[i].second);
  }
}

int64_t count_parameters(const torch::nn::Module& model) {
  int64_t n = 0;
  for (const auto& p : trainable_parameters(model)) n += p.second.numel();
  return n;
}

void save_state_dict(const torch::nn::Module& model, const std::filesystem::path& path) {
  c10::Dict<std::string, at::Tensor> dict;
  for (const auto& [key, value] : state_dict(model)) dict.insert(key, value.detach().cpu().contiguous());
  std::vector<char> bytes = torch::pickle_save(dict);
  write_file_atomic(path, std::string(bytes.begin(), bytes.end()));
}

void load_state_dict(torch::nn::Module& model, const std::filesystem::path& path) {
  std::string bytes = read_file(path);
  torch::IValue value;
  try {
    value = torch::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
  } catch (const std::exception& e) {
    throw input_error(path.string(), "an unreadable file", "a state_dict saved by bgm");
  }
  if (!value.isGenericDict())
    throw input_error(path.string(), "a pickle that is not a dict", "a state_dict saved by bgm");
  std::map<std::string, torch::Tensor> loaded;
  for (const auto& kv : value.toGenericDict()) loaded[kv.key().toStringRef()] = kv.value().toTensor();

  torch::NoGradGuard no_grad;
  for (auto& [key, target] : state_dict(model)) {
    auto it = loaded.find(key);
    if (it == loaded.end()) throw input_error(path.string(), "no key '" + key + "'", "every key of the model");
    if (it->second.sizes() != target.sizes())
      throw input_error(path.string() + " key " + key, "shape " + shape_string(it->second),
                        "shape " + shape_string(target));
    target.copy_(it->second);
    loaded.erase(it);
  }
  if (!loaded.empty())
    throw input_error(path.string(), "unexpected key '" + loaded.begin()->first + "'",
                      "only the model's keys");
}

std::vector<torch::nn::Module*> module_tree(torch::nn::Module& model) {
  std::vector<torch::nn::Module*> tree = {&model};
  for (const auto& m : model.modules(/*include_self=*/false)) tree.push_back(m.get());
  return tree;
}

}  // namespace bgm
