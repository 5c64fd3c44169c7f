#include "bgm/study/run_maker.h"

#include <fmt/core.h>

#include <chrono>

#include "bgm/core/files.h"
#include "bgm/core/interrupt.h"
#include "bgm/core/random.h"
#include "bgm/data/adversarial_set.h"
#include "bgm/models/model_state.h"
#include "bgm/train/data_parallel.h"
#include "bgm/train/trainer.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Json = nlohmann::json;

Json eval_json(const EvalResult& train, const EvalResult& test) {
  return {{"train_acc", train.accuracy}, {"test_acc", test.accuracy},
          {"train_loss", train.loss}, {"test_loss", test.loss}};
}

}  // namespace

std::string data_content_id(const DataSplits& data) {
  return fmt::format("{:016x}", data.train.content_hash() ^ (data.test.content_hash() * 31));
}

RunMaker::RunMaker(const ModelSpec& model, const Compute& compute, const DataSplits& data,
                   const std::string& data_content, uint64_t seed, const fs::path& store)
    : model_(model), compute_(compute), data_(data), seed_(seed), store_(store) {
  base_ = {{"data", {{"name", data.name},
                     {"content", data_content},
                     {"train_images", data.train.size()}, {"test_images", data.test.size()},
                     {"normalization", {{"mean", data.normalization.mean}, {"std", data.normalization.std}}}}},
           {"model", {{"name", model.name}, {"width", model.width}, {"num_classes", model.num_classes}}},
           {"seed", seed},
           {"numerics", {{"device", device_kind(compute.device)},
                         {"precision", to_string(compute.precision)},
                         {"channels_last", compute.channels_last}}}};
  // The process count is how a run is made, like the thread count, not what it is: a run keeps
  // its identity (so tasks find their starts whatever the world size they were made with). Its
  // result and checkpoint record the world size, and a checkpoint resumes only under the same.
  if (const DataParallel* parallel = active_data_parallel()) writes_ = parallel->rank() == 0;
  prefix_ = fmt::format("{}w{}-s{}-", model.name, model.width, seed);
}

std::string RunMaker::adversarial_key(int replicas) { return fmt::format("W0A-R{}", replicas); }

std::string RunMaker::train_key(const std::string& mode, const std::string& start_key) {
  return mode + "-from-" + start_key;
}

std::string RunMaker::init(const fs::path& init_from) {
  Json identity = base_;
  identity["run"] = "init";
  if (!init_from.empty()) {  // named by content: the same file gives the same run wherever it lies
    const std::string bytes = read_file(init_from);
    identity["init_from"] = fmt::format("{:016x}", fnv1a64(bytes.data(), bytes.size()));
  }
  return ensure("W0R", identity, [&](const std::string& id) {
    const auto start = std::chrono::steady_clock::now();
    torch::manual_seed(derive_seed(seed_, "init"));  // on the CPU: the same start on every device
    auto model = make_model(model_);
    if (!init_from.empty()) load_state_dict(*model, init_from);
    if (writes_) save_state_dict(*model, store_.weights(id));
    place_model(*model, compute_);
    const auto train = evaluate(*model, data_.train, data_.normalization, compute_);
    const auto test = evaluate(*model, data_.test, data_.normalization, compute_);
    if (writes_) write_file_atomic(store_.metrics(id), untrained_metrics_csv(train, test));
    Json r = eval_json(train, test);
    r["epochs"] = 0;
    r["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
  });
}

std::string RunMaker::adversarial(const std::string& w0r, int replicas, double zero_out, const SgdSettings& sgd,
                                  const StopRule& stop) {
  Json identity = base_;
  identity.update({{"run", "adversarial"}, {"start", w0r}, {"replicas", replicas}, {"zero_out", zero_out},
                   {"algorithm1", "per-copy streams"},  // since the virtual set: other copies than before
                   {"sgd", sgd.to_json()}, {"stop", stop.to_json()}});
  const std::string key = adversarial_key(replicas);
  return ensure(key, identity, [&](const std::string& id) {
    Dataset set = make_adversarial_set(data_.train, {replicas, zero_out, seed_});
    fmt::print(stderr, "[{}] Algorithm 1: {} images ({} per training image, {} entries zeroed each)\n", key,
               set.size(), replicas, zeroed_entries(zero_out));
    Classifier model = make_model(model_);
    Json r = train_from(id, identity, w0r, key, set, sgd, stop, *model);
    set = Dataset();  // release the N * R labels before evaluating on the true labels
    r["random_label_train_acc"] = r["train_acc"];
    r["random_label_train_loss"] = r["train_loss"];
    r["adversarial_set_images"] = replicas * data_.train.size();
    place_model(*model, compute_);
    const auto train = evaluate(*model, data_.train, data_.normalization, compute_);
    r["train_acc"] = train.accuracy;
    r["train_loss"] = train.loss;
    return r;
  });
}

std::string RunMaker::train(const std::string& start_id, const std::string& start_key, const std::string& mode,
                            const SgdSettings& sgd, const StopRule& stop) {
  Json identity = base_;
  identity.update({{"run", "train"}, {"start", start_id}, {"mode", mode}, {"sgd", sgd.to_json()},
                   {"stop", stop.to_json()}});
  const std::string key = train_key(mode, start_key);
  return ensure(key, identity, [&](const std::string& id) {
    Classifier model = make_model(model_);
    return train_from(id, identity, start_id, key, data_.train, sgd, stop, *model);
  });
}

template <typename Make>
std::string RunMaker::ensure(const std::string& key, const Json& identity, Make make) {
  const std::string id = RunStore::run_id(prefix_ + key, identity);
  if (store_.finished(id)) {
    store_.check_identity(id, identity);
    fs::remove(store_.checkpoint(id));  // left if a crash came between result.json and its removal
    fmt::print(stderr, "[{}] finished earlier: {}\n", key, store_.dir(id).string());
    return id;
  }
  if (!making_allowed_) {
    const Json failure = store_.failure(id);
    if (failure.is_object() && failure.contains("failed"))
      throw RunFailed(failure.value("error", std::string("diverged")), failure);
    throw RunNotFinished(fmt::format("{} holds no result.json", store_.dir(id).string()));
  }
  // The ranks of a data-parallel group must decide alike: they stop at the end of an epoch.
  if (!active_data_parallel()) throw_if_stop_requested("run " + key);
  RunLock lock;
  if (writes_) {
    lock = store_.lock(id, key);
    if (store_.finished(id)) {  // made by the process we waited for
      fmt::print(stderr, "[{}] finished by another process: {}\n", key, store_.dir(id).string());
      return id;
    }
    store_.begin(id, identity);
  }
  Json result;
  try {
    result = make(id);
  } catch (const RunDiverged& e) {
    Json failure = {{"failed", "diverged"}, {"error", e.what()}, {"epoch", e.epoch}, {"step", e.epoch_step}, {"id", id}};
    if (writes_) store_.fail(id, failure);
    throw RunFailed(e.what(), failure);
  }
  result["id"] = id;
  if (writes_) {
    store_.finish(id, result);
    fs::remove(store_.checkpoint(id));  // the finished run needs only its weights
  }
  return id;
}

Json RunMaker::train_from(const std::string& id, const Json& identity, const std::string& start_id, const std::string& key,
                          const Dataset& set, const SgdSettings& sgd, const StopRule& stop, ClassifierImpl& model) {
  load_state_dict(model, store_.weights(start_id));
  place_model(model, compute_);
  RunFiles files{store_.metrics(id), store_.checkpoint(id), identity};
  files.write = writes_;
  RunResult run = train_run(model, set, data_.test, data_.normalization, {key, sgd, stop, seed_}, compute_, files);
  model.to(torch::kCPU);
  if (writes_) save_state_dict(model, store_.weights(id));
  Json r = eval_json(run.train, run.test);
  r["epochs"] = run.epochs;
  r["seconds"] = run.seconds;
  if (stop.has_target()) r["reached_target"] = run.reached_target;
  if (const DataParallel* parallel = active_data_parallel()) r["world_size"] = parallel->world_size();
  r["start"] = start_id;
  return r;
}

}  // namespace bgm
