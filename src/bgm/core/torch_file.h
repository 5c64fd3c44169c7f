#pragma once
// Reads the files that Python's torch.save and LibTorch's torch::pickle_save write (the zip
// format: a pickle, data.pkl, plus one record per tensor storage) without LibTorch's unpickler,
// which turns Python's OrderedDict - what model.state_dict() returns - into None and then aborts.
// It understands the subset of Python's pickle protocol (2-5) that state_dicts and bgm's
// checkpoints use: dicts (also OrderedDict), lists, tuples, strings, numbers, booleans, None and
// tensors rebuilt from storages. Anything else, and any malformed byte, is a bgm::Error naming
// the file - never a crash, a cycle, unbounded recursion or an allocation out of proportion to
// the file (only stored zip entries no larger than the file are read; rebuilt tensors are
// budgeted; a container is complete before anything holds it).
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace bgm {

struct PickleValue;
using PickleRef = std::shared_ptr<const PickleValue>;

/// One unpickled value. Tuples and lists keep their items; dicts their entries in file order.
struct PickleValue {
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kTuple, kList, kDict, kTensor, kGlobal, kStorage };
  Kind kind = Kind::kNone;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string text;  ///< kString; kGlobal: "module.name"; kStorage: the record's key
  std::vector<PickleRef> items;
  std::vector<std::pair<PickleRef, PickleRef>> entries;
  torch::Tensor tensor;  ///< kTensor; kStorage: the storage's elements, 1-D
  int depth = 0;         ///< levels of containers below this one (bounded by the reader)
  bool sealed = false;   ///< held by another value: no longer changed (the reader's invariant)

  bool is_string() const { return kind == Kind::kString; }
  /// The entry under a string key, or nullptr.
  PickleRef find(const std::string& key) const;
};

/// Returns a storage's elements as a 1-D CPU tensor of `dtype` with `numel` elements.
using StorageLoader = std::function<torch::Tensor(const std::string& key, torch::ScalarType dtype, int64_t numel)>;

/// Unpickles `pickle`; `where` names the file in errors. Rebuilt tensors may hold at most
/// `tensor_budget` bytes in all (0: 64 MiB + 16 x the pickle's size).
PickleRef unpickle(const std::string& pickle, const StorageLoader& storages, const std::string& where,
                   size_t tensor_budget = 0);

/// Reads a whole torch.save / torch::pickle_save file held in `bytes`.
PickleRef read_torch_file(const std::string& bytes, const std::string& where);

}  // namespace bgm
