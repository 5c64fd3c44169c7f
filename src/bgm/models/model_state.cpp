#include "bgm/models/model_state.h"

#include <map>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/torch_file.h"

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

void save_tensors(const NamedTensors& tensors, const std::filesystem::path& path) {
  c10::Dict<std::string, at::Tensor> dict;
  for (const auto& [key, value] : tensors) dict.insert(key, value.detach().cpu().contiguous());
  std::vector<char> bytes = torch::pickle_save(dict);
  write_file_atomic(path, std::string(bytes.begin(), bytes.end()));
}

void save_state_dict(const torch::nn::Module& model, const std::filesystem::path& path) {
  save_tensors(state_dict(model), path);
}

NamedTensors read_state_dict(const std::filesystem::path& path) {
  const std::string where = path.string();
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const Error& e) {
    throw input_error(where, std::string("a file that cannot be read (") + e.what() + ")", "a state_dict file");
  }
  PickleRef root = read_torch_file(bytes, where);
  auto tensors_of = [](const PickleRef& dict) {
    if (!dict || dict->kind != PickleValue::Kind::kDict || dict->entries.empty()) return false;
    for (const auto& [k, v] : dict->entries)
      if (!k->is_string() || v->kind != PickleValue::Kind::kTensor) return false;
    return true;
  };
  // Training scripts often save {"net": state_dict, "acc": ..., "epoch": ...}: take the one
  // state_dict inside.
  if (!tensors_of(root) && root->kind == PickleValue::Kind::kDict)
    for (const char* key : {"state_dict", "model_state_dict", "model", "net"})
      if (tensors_of(root->find(key))) {
        root = root->find(key);
        break;
      }
  if (!tensors_of(root))
    throw input_error(where, "a pickle that is not a dict of tensors", "a state_dict (torch.save(model.state_dict()))");
  NamedTensors out;
  for (const auto& [k, v] : root->entries) out.emplace_back(k->text, v->tensor);
  // nn.DataParallel prefixes every key with "module.".
  const std::string prefix = "module.";
  bool prefixed = true;
  for (const auto& [k, v] : out) prefixed = prefixed && k.rfind(prefix, 0) == 0;
  if (prefixed)
    for (auto& [k, v] : out) k = k.substr(prefix.size());
  return out;
}

void load_named_tensors(torch::nn::Module& model, const NamedTensors& tensors, const std::string& where) {
  std::map<std::string, torch::Tensor> loaded(tensors.begin(), tensors.end());
  torch::NoGradGuard no_grad;
  for (auto& [key, target] : state_dict(model)) {
    auto it = loaded.find(key);
    if (it == loaded.end())
      throw input_error(where, "no key '" + key + "'", "every key of the model (another architecture or width?)");
    if (it->second.sizes() != target.sizes())
      throw input_error(where + " key " + key, "shape " + shape_string(it->second),
                        "shape " + shape_string(target) + " (another architecture, width or class count?)");
    if (it->second.is_floating_point() != target.is_floating_point())
      throw input_error(where + " key " + key, std::string("dtype ") + c10::toString(it->second.scalar_type()),
                        std::string("dtype ") + c10::toString(target.scalar_type()));
    target.copy_(it->second);
    loaded.erase(it);
  }
  if (!loaded.empty())
    throw input_error(where, "unexpected key '" + loaded.begin()->first + "'", "only the model's keys (another architecture?)");
}

void load_state_dict(torch::nn::Module& model, const std::filesystem::path& path) {
  load_named_tensors(model, read_state_dict(path), path.string());
}

std::vector<torch::nn::Module*> module_tree(torch::nn::Module& model) {
  std::vector<torch::nn::Module*> tree = {&model};
  for (const auto& m : model.modules(/*include_self=*/false)) tree.push_back(m.get());
  return tree;
}

}  // namespace bgm
