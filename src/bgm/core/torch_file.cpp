#include "bgm/core/torch_file.h"

#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <map>

#include "bgm/core/error.h"

namespace bgm {
namespace {

using Kind = PickleValue::Kind;
using Node = std::shared_ptr<PickleValue>;

// Limits that keep a hostile file from exhausting memory or the stack (values are destroyed
// recursively, so nesting is bounded too).
constexpr size_t kMaxStack = 1 << 20;
constexpr size_t kMaxMemo = 1 << 22;
constexpr int kMaxDepth = 200;
constexpr size_t kMaxName = 512;  // a GLOBAL's module.name
constexpr int64_t kMaxDims = 64;

const std::map<std::string, torch::ScalarType>& storage_types() {
  static const std::map<std::string, torch::ScalarType> types = {
      {"torch.FloatStorage", torch::kFloat32}, {"torch.DoubleStorage", torch::kFloat64},
      {"torch.HalfStorage", torch::kFloat16},  {"torch.BFloat16Storage", torch::kBFloat16},
      {"torch.LongStorage", torch::kInt64},    {"torch.IntStorage", torch::kInt32},
      {"torch.ShortStorage", torch::kInt16},   {"torch.CharStorage", torch::kInt8},
      {"torch.ByteStorage", torch::kUInt8},    {"torch.BoolStorage", torch::kBool}};
  return types;
}

class Unpickler {
 public:
  Unpickler(const std::string& bytes, const StorageLoader& storages, const std::string& where, size_t budget)
      : in_(bytes), storages_(storages), where_(where),
        budget_(budget ? budget : (size_t{64} << 20) + 16 * bytes.size()) {}

  PickleRef run() {
    for (;;) {
      if (pos_ >= in_.size()) fail("the pickle ends without its STOP opcode");
      const auto op = static_cast<unsigned char>(in_[pos_++]);
      if (op == '.') break;
      step(op);
    }
    if (stack_.size() != 1 || !marks_.empty()) fail("a pickle that leaves " + std::to_string(stack_.size()) + " values");
    return stack_.back();
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw input_error(where_, what + " (at byte " + std::to_string(pos_) + " of data.pkl)",
                      "a state_dict or checkpoint written by torch.save or bgm");
  }

  const char* take(size_t n) {
    if (n > in_.size() - pos_) fail("a truncated pickle");
    const char* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  uint64_t take_uint(size_t n) {
    const auto* p = reinterpret_cast<const unsigned char*>(take(n));
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
  }
  std::string take_line() {
    const size_t end = in_.find('\n', pos_);
    if (end == std::string::npos) fail("a GLOBAL without its newline");
    std::string s = in_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }

  static Node make(Kind kind) {
    auto n = std::make_shared<PickleValue>();
    n->kind = kind;
    return n;
  }
  Node make_int(int64_t v) {
    auto n = make(Kind::kInt);
    n->integer = v;
    return n;
  }
  Node make_string(std::string s) {
    auto n = make(Kind::kString);
    n->text = std::move(s);
    return n;
  }

  void push(Node n) {
    if (stack_.size() >= kMaxStack) fail("a pickle deeper than " + std::to_string(kMaxStack) + " values");
    stack_.push_back(std::move(n));
  }
  Node pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) fail("a pickle that pops an empty stack");
    Node n = std::move(stack_.back());
    stack_.pop_back();
    return n;
  }
  Node& top() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) fail("a pickle that reads an empty stack");
    return stack_.back();
  }
  std::vector<Node> pop_to_mark() {
    if (marks_.empty()) fail("a pickle without the MARK its opcode needs");
    std::vector<Node> items(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
  }

  void adopt(PickleValue& parent, const Node& child) {
    // A value is complete once something holds it (Python's and LibTorch's picklers fill a
    // container before they place it), so no cycle can form and depths stay exact: they bound
    // the recursive destruction.
    if (child.get() == &parent) fail("a container inside itself");
    child->sealed = true;
    parent.depth = std::max(parent.depth, child->depth + 1);
    if (parent.depth > kMaxDepth) fail("values nested deeper than " + std::to_string(kMaxDepth));
  }

  void append(const Node& list, Node item) {
    if (list->kind != Kind::kList) fail("APPEND to a value that is not a list");
    if (list->sealed) fail("APPEND to a list already inside another value");
    adopt(*list, item);
    list->items.push_back(std::move(item));
  }
  void set_item(const Node& dict, Node key, Node value) {
    if (dict->kind != Kind::kDict) fail("SETITEM on a value that is not a dict");
    if (dict->sealed) fail("SETITEM on a dict already inside another value");
    adopt(*dict, key);
    adopt(*dict, value);
    dict->entries.emplace_back(std::move(key), std::move(value));
  }
  Node make_tuple(std::vector<Node> items) {
    auto t = make(Kind::kTuple);
    for (auto& i : items) {
      adopt(*t, i);
      t->items.push_back(std::move(i));
    }
    return t;
  }

  void memo_put(uint64_t index) {
    if (index >= kMaxMemo) fail("a memo index of " + std::to_string(index));
    if (memo_.size() <= index) memo_.resize(index + 1);
    memo_[index] = top();
  }
  Node memo_get(uint64_t index) {
    if (index >= memo_.size() || !memo_[index]) fail("a memo index " + std::to_string(index) + " never stored");
    return memo_[index];
  }

  int64_t as_int(const PickleRef& n, const char* what) const {
    if (!n || n->kind != Kind::kInt) fail(std::string("a ") + what + " that is not an integer");
    return n->integer;
  }
  std::vector<int64_t> as_ints(const PickleRef& n, const char* what) const {
    if (!n || n->kind != Kind::kTuple) fail(std::string("a ") + what + " that is not a tuple");
    std::vector<int64_t> v;
    for (const auto& i : n->items) v.push_back(as_int(i, what));
    return v;
  }

  Node storage(const Node& pid) {
    if (pid->kind != Kind::kTuple || pid->items.size() < 5 || !pid->items[0]->is_string() ||
        pid->items[0]->text != "storage" || pid->items[1]->kind != Kind::kGlobal || !pid->items[2]->is_string())
      fail("a persistent id that is not ('storage', type, key, location, numel)");
    auto type = storage_types().find(pid->items[1]->text);
    if (type == storage_types().end()) fail("a storage of type " + pid->items[1]->text);
    const std::string& key = pid->items[2]->text;
    const int64_t numel = as_int(pid->items[4], "storage size");
    if (numel < 0 || static_cast<uint64_t>(numel) > budget_ / c10::elementSize(type->second))
      fail("a storage of " + std::to_string(numel) + " elements");
    auto cached = storage_cache_.find(key);
    if (cached != storage_cache_.end()) return cached->second;
    auto s = make(Kind::kStorage);
    s->text = key;
    s->tensor = storages_(key, type->second, numel);
    storage_cache_[key] = s;
    return s;
  }

  Node rebuild_tensor(const std::vector<PickleRef>& args) {
    if (args.size() < 4 || args[0]->kind != Kind::kStorage) fail("_rebuild_tensor arguments that are not (storage, offset, size, stride, ...)");
    const torch::Tensor& data = args[0]->tensor;
    const int64_t offset = as_int(args[1], "storage offset");
    const auto sizes = as_ints(args[2], "tensor size");
    const auto strides = as_ints(args[3], "tensor stride");
    if (static_cast<int64_t>(sizes.size()) > kMaxDims) fail("a tensor of " + std::to_string(sizes.size()) + " dimensions");
    if (sizes.size() != strides.size()) fail("a tensor with " + std::to_string(sizes.size()) + " sizes and " + std::to_string(strides.size()) + " strides");
    // The last element the view reaches must lie inside the storage (checked without overflow).
    __int128 last = offset, count = 1;
    bool empty = false;
    for (size_t d = 0; d < sizes.size(); ++d) {
      if (sizes[d] < 0 || strides[d] < 0) fail("a negative tensor size or stride");
      if (sizes[d] == 0) empty = true;
      last += static_cast<__int128>(sizes[d] > 0 ? sizes[d] - 1 : 0) * strides[d];
      count *= sizes[d];
      if (last > INT64_MAX || count > INT64_MAX) fail("a tensor too large to address");
    }
    if (offset < 0 || (!empty && last >= data.numel()))
      fail("a tensor reaching element " + std::to_string(static_cast<int64_t>(last)) + " of a storage of " +
           std::to_string(data.numel()));
    // Every rebuilt tensor is a copy: their total is budgeted (a stride-0 view of one element may
    // claim terabytes; a storage rebuilt again and again multiplies it).
    const __int128 bytes = count * static_cast<__int128>(data.element_size());
    if (bytes > static_cast<__int128>(budget_)) fail("tensors larger in all than the file can hold");
    budget_ -= static_cast<size_t>(bytes);
    auto t = make(Kind::kTensor);
    t->tensor = empty ? torch::empty(sizes, data.options())
                      : data.as_strided(sizes, strides, offset).clone(at::MemoryFormat::Contiguous);
    return t;
  }

  Node call(const Node& callable, const Node& args) {
    if (callable->kind != Kind::kGlobal || args->kind != Kind::kTuple) fail("a REDUCE of something that is not a known function");
    const std::string& f = callable->text;
    const auto& a = args->items;
    if (f == "collections.OrderedDict") {
      if (!a.empty()) fail("an OrderedDict built from arguments");
      return make(Kind::kDict);
    }
    if (f == "torch._utils._rebuild_tensor_v2" || f == "torch._utils._rebuild_tensor") return rebuild_tensor(a);
    if (f == "torch._utils._rebuild_parameter" || f == "torch._utils._rebuild_parameter_with_state") {
      if (a.empty() || a[0]->kind != Kind::kTensor) fail("a Parameter without its tensor");
      return std::const_pointer_cast<PickleValue>(a[0]);
    }
    if (f == "torch.jit._pickle.restore_type_tag") {  // LibTorch's typed containers
      if (a.empty()) fail("restore_type_tag without its value");
      return std::const_pointer_cast<PickleValue>(a[0]);
    }
    fail("a call of " + f);
  }

  void step(unsigned char op) {
    switch (op) {
      case 0x80: take(1); break;  // PROTO
      case 0x95: take(8); break;  // FRAME: a length hint
      case '(':
        if (marks_.size() >= kMaxStack) fail("too many MARKs");
        marks_.push_back(stack_.size());
        break;
      case ')': push(make(Kind::kTuple)); break;
      case ']': push(make(Kind::kList)); break;
      case '}': push(make(Kind::kDict)); break;
      case 'N': push(make(Kind::kNone)); break;
      case 0x88: case 0x89: {
        auto b = make(Kind::kBool);
        b->boolean = op == 0x88;
        push(b);
        break;
      }
      case 'K': push(make_int(static_cast<int64_t>(take_uint(1)))); break;
      case 'M': push(make_int(static_cast<int64_t>(take_uint(2)))); break;
      case 'J': push(make_int(static_cast<int32_t>(take_uint(4)))); break;
      case 0x8a: {  // LONG1: little-endian two's complement of n bytes
        const size_t n = take_uint(1);
        if (n > 8) fail("an integer of " + std::to_string(n) + " bytes");
        uint64_t v = take_uint(n);
        if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);
        push(make_int(static_cast<int64_t>(v)));
        break;
      }
      case 'G': {  // BINFLOAT: big-endian double
        const auto* p = reinterpret_cast<const unsigned char*>(take(8));
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = bits << 8 | p[i];
        auto f = make(Kind::kFloat);
        std::memcpy(&f->number, &bits, 8);
        push(f);
        break;
      }
      case 'X': case 'B': { const size_t n = take_uint(4); push(make_string(std::string(take(n), n))); break; }
      case 0x8c: case 'C': case 'U': { const size_t n = take_uint(1); push(make_string(std::string(take(n), n))); break; }
      case 0x8d: case 0x8e: { const size_t n = take_uint(8); push(make_string(std::string(take(n), n))); break; }
      case 'T': { const size_t n = take_uint(4); push(make_string(std::string(take(n), n))); break; }
      case 't': push(make_tuple(pop_to_mark())); break;
      case 0x85: case 0x86: case 0x87: {
        std::vector<Node> items(op - 0x84);
        for (size_t i = items.size(); i-- > 0;) items[i] = pop();
        push(make_tuple(std::move(items)));
        break;
      }
      case 'l': {
        auto list = make(Kind::kList);
        for (auto& i : pop_to_mark()) append(list, i);
        push(list);
        break;
      }
      case 'd': {
        auto items = pop_to_mark();
        if (items.size() % 2) fail("a DICT with an odd number of items");
        auto dict = make(Kind::kDict);
        for (size_t i = 0; i < items.size(); i += 2) set_item(dict, items[i], items[i + 1]);
        push(dict);
        break;
      }
      case 'a': { Node item = pop(); append(top(), std::move(item)); break; }
      case 'e': { auto items = pop_to_mark(); Node list = top(); for (auto& i : items) append(list, i); break; }
      case 's': { Node value = pop(); Node key = pop(); set_item(top(), key, value); break; }
      case 'u': {
        auto items = pop_to_mark();
        if (items.size() % 2) fail("SETITEMS with an odd number of items");
        Node dict = top();
        for (size_t i = 0; i < items.size(); i += 2) set_item(dict, items[i], items[i + 1]);
        break;
      }
      case 'c': {
        std::string module = take_line();
        auto g = make(Kind::kGlobal);
        g->text = module + "." + take_line();
        if (g->text.size() > kMaxName) fail("a global name of over " + std::to_string(kMaxName) + " characters");
        push(g);
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        Node name = pop(), module = pop();
        if (!name->is_string() || !module->is_string()) fail("a STACK_GLOBAL of non-strings");
        if (name->text.size() + module->text.size() > kMaxName) fail("a global name of over " + std::to_string(kMaxName) + " characters");
        auto g = make(Kind::kGlobal);
        g->text = module->text + "." + name->text;
        push(g);
        break;
      }
      case 'R': { Node args = pop(); Node callable = pop(); push(call(callable, args)); break; }
      case 'b': {  // BUILD: only an OrderedDict's attributes (state_dict's _metadata), ignored
        pop();
        if (top()->kind != Kind::kDict) fail("a BUILD of an object that is not a dict");
        break;
      }
      case 'Q': push(storage(pop())); break;
      case 'q': memo_put(take_uint(1)); break;
      case 'r': memo_put(take_uint(4)); break;
      case 0x94: memo_put(memo_.size()); break;
      case 'h': push(memo_get(take_uint(1))); break;
      case 'j': push(memo_get(take_uint(4))); break;
      case '0': pop(); break;
      case '2': push(top()); break;
      case '1': pop_to_mark(); break;
      default: {
        char hex[8];
        std::snprintf(hex, sizeof(hex), "0x%02x", op);
        fail(std::string("pickle opcode ") + hex);
      }
    }
  }

  const std::string& in_;
  const StorageLoader& storages_;
  const std::string& where_;
  size_t pos_ = 0;
  std::vector<Node> stack_;
  std::vector<size_t> marks_;
  std::vector<Node> memo_;
  std::map<std::string, Node> storage_cache_;
  size_t budget_;  // bytes left for rebuilt tensors
};

// A bounds-checked view of the archive: LibTorch's MemoryReadAdapter copies whatever offset and
// length the zip headers name.
class BoundedReadAdapter : public caffe2::serialize::ReadAdapterInterface {
 public:
  explicit BoundedReadAdapter(const std::string& bytes) : bytes_(bytes) {}
  size_t size() const override { return bytes_.size(); }
  size_t read(uint64_t pos, void* buf, size_t n, const char* /*what*/) const override {
    if (pos >= bytes_.size()) return 0;
    n = std::min<uint64_t>(n, bytes_.size() - pos);
    std::memcpy(buf, bytes_.data() + pos, n);
    return n;
  }

 private:
  const std::string& bytes_;
};

uint64_t le(const std::string& b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}

// torch.save and pickle_save write only stored (uncompressed) entries. Checking the central
// directory first keeps the zip reader from allocating what a forged size field claims.
void check_zip_directory(const std::string& b, const std::string& where, const std::string& expected) {
  constexpr size_t kEnd = 22;  // end-of-central-directory record without its comment
  if (b.size() < kEnd) throw input_error(where, "a zip archive too short to be one", expected);
  size_t end = std::string::npos;
  for (size_t at = b.size() - kEnd + 1; at-- > 0 && b.size() - at <= kEnd + 65535;)
    if (le(b, at, 4) == 0x06054b50) {
      end = at;
      break;
    }
  if (end == std::string::npos) throw input_error(where, "a zip archive without its central directory", expected);
  const uint64_t entries = le(b, end + 10, 2);
  uint64_t at = le(b, end + 16, 4);
  for (uint64_t i = 0; i < entries; ++i) {
    if (at + 46 > b.size() || le(b, at, 4) != 0x02014b50)
      throw input_error(where, "a damaged zip central directory", expected);
    const uint64_t method = le(b, at + 10, 2), packed = le(b, at + 20, 4), size = le(b, at + 24, 4);
    if (method != 0 || packed != size || size > b.size())
      throw input_error(where, "a compressed or oversized zip entry (method " + std::to_string(method) + ", " +
                                   std::to_string(size) + " bytes)",
                        expected);
    at += 46 + le(b, at + 28, 2) + le(b, at + 30, 2) + le(b, at + 32, 2);
  }
}

}  // namespace

PickleRef PickleValue::find(const std::string& key) const {
  for (const auto& [k, v] : entries)
    if (k->is_string() && k->text == key) return v;
  return nullptr;
}

PickleRef unpickle(const std::string& pickle, const StorageLoader& storages, const std::string& where,
                   size_t tensor_budget) {
  return Unpickler(pickle, storages, where, tensor_budget).run();
}

PickleRef read_torch_file(const std::string& bytes, const std::string& where) {
  const std::string expected = "a zip-format file written by torch.save (PyTorch >= 1.6) or bgm";
  if (bytes.size() < 4 || bytes.compare(0, 4, "PK\x03\x04") != 0)
    throw input_error(where, bytes.empty() ? "an empty file" : "a file that is not a zip archive (a legacy torch.save file?)", expected);
  check_zip_directory(bytes, where, expected);
  try {
    caffe2::serialize::PyTorchStreamReader reader(std::make_shared<BoundedReadAdapter>(bytes));
    if (!reader.hasRecord("data.pkl")) throw input_error(where, "a zip archive without data.pkl", expected);
    auto [pickle_data, pickle_size] = reader.getRecord("data.pkl");
    const std::string pickle(static_cast<const char*>(pickle_data.get()), pickle_size);
    StorageLoader load = [&](const std::string& key, torch::ScalarType dtype, int64_t numel) {
      const std::string record = "data/" + key;
      if (key.empty() || key.find('/') != std::string::npos || !reader.hasRecord(record))
        throw input_error(where, "no record '" + record + "'", "one record per storage the pickle names");
      auto [data, size] = reader.getRecord(record);
      const size_t need = static_cast<size_t>(numel) * c10::elementSize(dtype);
      if (size < need)
        throw input_error(where + " record " + record, std::to_string(size) + " bytes",
                          std::to_string(need) + " bytes for " + std::to_string(numel) + " elements");
      // Bools are read as bytes, then compared with 0: a byte other than 0 or 1 is no valid bool.
      const bool is_bool = dtype == torch::kBool;
      auto t = torch::empty({numel}, torch::TensorOptions().dtype(is_bool ? torch::kUInt8 : dtype));
      if (need) std::memcpy(t.data_ptr(), data.get(), need);
      return is_bool ? t.ne(0) : t;
    };
    return unpickle(pickle, load, where, (size_t{64} << 20) + 4 * bytes.size());
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw input_error(where, std::string("an unreadable archive (") + e.what_without_backtrace() + ")", expected);
  } catch (const std::exception& e) {  // e.g. std::stoull on a forged version record
    throw input_error(where, std::string("an unreadable archive (") + e.what() + ")", expected);
  }
}

}  // namespace bgm
