#include "bgm/train/checkpoint.h"

#include <limits>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/json_diff.h"
#include "bgm/core/torch_file.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Json = nlohmann::json;
constexpr const char* kFormat = "bgm checkpoint 1";

// JSON has no NaN or infinity (nlohmann writes null): an infinite test loss is legitimate and
// must not make the checkpoint unreadable, so null reads back as NaN.
double number(const Json& j) { return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>(); }

EvalResult eval_from(const Json& j) {
  return {number(j.at("loss")), number(j.at("accuracy")), j.at("examples").get<int64_t>()};
}

Json metrics_json(const EpochMetrics& m) {
  return {{"epoch", m.epoch}, {"lr", m.lr}, {"running_loss", m.running_loss}, {"running_acc", m.running_acc},
          {"train", to_json(m.train)}, {"test", to_json(m.test)}, {"seconds", m.seconds},
          {"images_per_second", m.images_per_second}};
}
EpochMetrics metrics_from(const Json& j) {
  EpochMetrics m;
  m.epoch = j.at("epoch").get<int>();
  m.lr = number(j.at("lr"));
  m.running_loss = number(j.at("running_loss"));
  m.running_acc = number(j.at("running_acc"));
  m.train = eval_from(j.at("train"));
  m.test = eval_from(j.at("test"));
  m.seconds = number(j.at("seconds"));
  m.images_per_second = number(j.at("images_per_second"));
  return m;
}

Json position_json(const TrainPosition& p) {
  Json history = Json::array();
  for (const auto& m : p.history) history.push_back(metrics_json(m));
  return {{"epochs_done", p.epochs_done}, {"steps", p.steps}, {"epoch_steps", p.epoch_steps},
          {"stopped", p.stopped}, {"reached_target", p.reached_target}, {"order_state", p.order_state},
          {"augment_state", p.augment_state}, {"loss_sum", p.loss_sum}, {"correct", p.correct},
          {"images", p.images}, {"epoch_train_seconds", p.epoch_train_seconds}, {"seconds", p.seconds},
          {"history", history}};
}
TrainPosition position_from(const Json& j) {
  TrainPosition p;
  p.epochs_done = j.at("epochs_done").get<int>();
  p.steps = j.at("steps").get<int64_t>();
  p.epoch_steps = j.at("epoch_steps").get<int64_t>();
  p.stopped = j.at("stopped").get<bool>();
  p.reached_target = j.at("reached_target").get<bool>();
  p.order_state = j.at("order_state").get<std::string>();
  p.augment_state = j.at("augment_state").get<std::string>();
  p.loss_sum = number(j.at("loss_sum"));
  p.correct = j.at("correct").get<int64_t>();
  p.images = j.at("images").get<int64_t>();
  p.epoch_train_seconds = number(j.at("epoch_train_seconds"));
  p.seconds = number(j.at("seconds"));
  for (const auto& m : j.at("history")) p.history.push_back(metrics_from(m));
  return p;
}

c10::Dict<std::string, at::Tensor> tensor_dict(const NamedTensors& tensors) {
  c10::Dict<std::string, at::Tensor> d;
  for (const auto& [k, v] : tensors) d.insert(k, v.detach().cpu().contiguous());
  return d;
}

NamedTensors tensors_from(const PickleRef& root, const std::string& entry, const std::string& where) {
  const PickleRef dict = root->find(entry);
  if (!dict || dict->kind != PickleValue::Kind::kDict)
    throw input_error(where, "no '" + entry + "' dict", "a bgm checkpoint with name -> tensor dicts model and momentum");
  NamedTensors out;
  for (const auto& [k, v] : dict->entries) {
    if (!k->is_string() || v->kind != PickleValue::Kind::kTensor)
      throw input_error(where + " " + entry, "an entry that is not name -> tensor" + (k->is_string() ? " ('" + k->text + "')" : std::string()),
                        "name -> tensor entries");
    out.emplace_back(k->text, v->tensor);
  }
  return out;
}

}  // namespace

void save_checkpoint(const fs::path& path, const Checkpoint& c) {
  const Json meta = {{"config", c.config}, {"position", position_json(c.position)}, {"threads", c.threads}};
  c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
  root.insert("format", std::string(kFormat));
  root.insert("meta", meta.dump());
  root.insert("model", tensor_dict(c.model));
  root.insert("momentum", tensor_dict(c.momentum));
  root.insert("torch_rng", c.torch_rng.defined() ? c.torch_rng.cpu() : torch::empty({0}, torch::kUInt8));
  const std::vector<char> bytes = torch::pickle_save(root);
  write_file_atomic(path, std::string(bytes.begin(), bytes.end()));
}

std::optional<Checkpoint> load_checkpoint(const fs::path& path) {
  if (!fs::exists(path)) return std::nullopt;
  const std::string where = path.string();
  const PickleRef root = read_torch_file(read_file(path), where);
  const PickleRef format = root->kind == PickleValue::Kind::kDict ? root->find("format") : nullptr;
  if (!format || !format->is_string() || format->text != kFormat)
    throw input_error(where, "a file without the format tag '" + std::string(kFormat) + "'",
                      "a checkpoint written by this bgm (delete it to restart the run)");
  Checkpoint c;
  try {
    const PickleRef meta_text = root->find("meta");
    if (!meta_text || !meta_text->is_string()) throw input_error(where, "no meta entry", "a bgm checkpoint");
    const Json meta = Json::parse(meta_text->text);
    c.config = meta.at("config");
    c.position = position_from(meta.at("position"));
    c.threads = meta.at("threads").get<int>();
  } catch (const Json::exception& e) {
    throw input_error(where, std::string("unreadable metadata (") + e.what() + ")", "a bgm checkpoint");
  }
  c.model = tensors_from(root, "model", where);
  c.momentum = tensors_from(root, "momentum", where);
  const PickleRef rng = root->find("torch_rng");
  if (!rng || rng->kind != PickleValue::Kind::kTensor) throw input_error(where, "no torch_rng tensor", "a bgm checkpoint");
  c.torch_rng = rng->tensor;
  return c;
}

void check_checkpoint_config(const fs::path& path, const Json& saved, const Json& config) {
  const auto differing = json_differences(saved, config);
  if (!differing.empty())
    throw input_error(path.string(), "a run saved under another configuration (differs in: " + join_differences(differing) + ")",
                      "the configuration it was saved with to resume it (or delete " + path.parent_path().string() +
                          " to start over)");
}

}  // namespace bgm
