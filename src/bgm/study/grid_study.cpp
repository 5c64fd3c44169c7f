#include "bgm/study/grid_study.h"

#include <fmt/core.h>

#include <chrono>

#include "bgm/core/build_info.h"
#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/random.h"
#include "bgm/data/adversarial_set.h"
#include "bgm/measure/distance.h"
#include "bgm/measure/seed_stats.h"
#include "bgm/models/model_state.h"
#include "bgm/report/grid_report.h"
#include "bgm/study/run_store.h"
#include "bgm/study/study_setup.h"
#include "bgm/train/heuristics.h"
#include "bgm/train/trainer.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Json = nlohmann::json;
using Ordered = nlohmann::ordered_json;

Json eval_json(const EvalResult& train, const EvalResult& test) {
  return {{"train_acc", train.accuracy}, {"test_acc", test.accuracy},
          {"train_loss", train.loss}, {"test_loss", test.loss}};
}

// The runs of one seed, each made (or found finished) in the store. A run's identity holds
// everything its result depends on, its start's id included, so equal identities are the same
// run wherever they come from.
class GridRunner {
 public:
  /// data_content: a hash of both splits' content (hashed once per study: it reads every pixel).
  GridRunner(const GridConfig& config, const DataSplits& data, const std::string& data_content, uint64_t seed)
      : config_(config), data_(data), seed_(seed), store_(config.store) {
    base_ = {{"data", {{"name", data.name},
                       {"content", data_content},
                       {"train_images", data.train.size()}, {"test_images", data.test.size()},
                       {"normalization", {{"mean", data.normalization.mean}, {"std", data.normalization.std}}}}},
             {"model", {{"name", config.model.name}, {"width", config.model.width},
                        {"num_classes", config.model.num_classes}}},
             {"seed", seed},
             {"numerics", {{"device", config.compute.device.is_cuda() ? "cuda" : "cpu"},
                           {"precision", to_string(config.compute.precision)},
                           {"channels_last", config.compute.channels_last}}}};
    prefix_ = fmt::format("{}w{}-s{}-", config.model.name, config.model.width, seed);
  }

  const RunStore& store() const { return store_; }

  std::string init() {
    Json identity = base_;
    identity["run"] = "init";
    return ensure("W0R", identity, [&](const std::string& id) {
      const auto start = std::chrono::steady_clock::now();
      torch::manual_seed(derive_seed(seed_, "init"));  // on the CPU: the same start on every device
      auto model = make_model(config_.model);
      save_state_dict(*model, store_.weights(id));
      place_model(*model, config_.compute);
      const auto train = evaluate(*model, data_.train, data_.normalization, config_.compute);
      const auto test = evaluate(*model, data_.test, data_.normalization, config_.compute);
      write_file_atomic(store_.metrics(id), untrained_metrics_csv(train, test));
      Json r = eval_json(train, test);
      r["epochs"] = 0;
      r["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return r;
    });
  }

  std::string adversarial(const std::string& w0r, int replicas) {
    SgdSettings sgd = config_.adversarial_sgd;
    apply_batching(sgd);
    Json identity = base_;
    identity.update({{"run", "adversarial"}, {"start", w0r}, {"replicas", replicas},
                     {"zero_out", config_.zero_out}, {"sgd", sgd.to_json()},
                     {"stop", config_.adversarial_stop.to_json()}});
    const std::string role = fmt::format("W0A-R{}", replicas);
    return ensure(role, identity, [&](const std::string& id) {
      const Dataset set = make_adversarial_set(data_.train, {replicas, config_.zero_out, seed_});
      return train_from(id, w0r, role, set, sgd, config_.adversarial_stop, [&](Json& r, const RunResult& run,
                                                                           ClassifierImpl& model) {
        r["random_label_train_acc"] = run.train.accuracy;
        r["random_label_train_loss"] = run.train.loss;
        r["adversarial_set_images"] = set.size();
        const auto train = evaluate(model, data_.train, data_.normalization, config_.compute);
        r["train_acc"] = train.accuracy;
        r["train_loss"] = train.loss;
      });
    });
  }

  std::string train(const std::string& start_id, const std::string& start_role, const std::string& mode) {
    SgdSettings sgd = sgd_for_mode(mode, config_.schedule, config_.weight_decay, "--modes");
    if (sgd.momentum > 0) sgd.momentum = config_.momentum;
    apply_batching(sgd);
    Json identity = base_;
    identity.update({{"run", "train"}, {"start", start_id}, {"mode", mode}, {"sgd", sgd.to_json()},
                     {"stop", config_.train_stop.to_json()}});
    const std::string role = mode + "-from-" + start_role;
    return ensure(role, identity, [&](const std::string& id) {
      return train_from(id, start_id, role, data_.train, sgd, config_.train_stop, nullptr);
    });
  }

 private:
  using Extra = std::function<void(Json&, const RunResult&, ClassifierImpl&)>;

  void apply_batching(SgdSettings& sgd) const {
    sgd.batch_size = config_.batch_size;
    sgd.drop_last = config_.drop_last;
  }

  template <typename Make>
  std::string ensure(const std::string& role, const Json& identity, Make make) {
    const std::string id = RunStore::run_id(prefix_ + role, identity);
    if (store_.finished(id)) {
      store_.check_identity(id, identity);
      fmt::print(stderr, "[{}] finished earlier: {}\n", role, store_.dir(id).string());
      return id;
    }
    store_.begin(id, identity);
    Json result = make(id);
    result["id"] = id;
    store_.finish(id, result);
    return id;
  }

  Json train_from(const std::string& id, const std::string& start_id, const std::string& role,
                  const Dataset& set, const SgdSettings& sgd, const StopRule& stop, const Extra& extra) {
    auto model = make_model(config_.model);
    load_state_dict(*model, store_.weights(start_id));
    place_model(*model, config_.compute);
    RunResult run = train_run(*model, set, data_.test, data_.normalization, {role, sgd, stop, seed_},
                              config_.compute, store_.metrics(id));
    model->to(torch::kCPU);
    save_state_dict(*model, store_.weights(id));
    Json r = eval_json(run.train, run.test);
    r["epochs"] = run.epochs;
    r["seconds"] = run.seconds;
    if (stop.has_target()) r["reached_target"] = run.reached_target;
    r["start"] = start_id;
    if (extra) extra(r, run, *model);
    return r;
  }

  const GridConfig& config_;
  const DataSplits& data_;
  uint64_t seed_;
  RunStore store_;
  Json base_;
  std::string prefix_;
};

// A study directory holds one study: the same configuration may complete it, another may not.
void check_output_dir(const fs::path& out, const Json& study) {
  if (!fs::exists(out)) return;
  const fs::path config_path = out / "config.json";
  if (!fs::is_directory(out) || (!fs::exists(config_path) && !fs::is_empty(out)))
    throw input_error("--out " + out.string(), "an existing path that is not a bgm study directory",
                      "a new directory, or the directory of the same study to complete it");
  if (!fs::exists(config_path)) return;
  Json old;
  try {
    old = Json::parse(read_file(config_path)).at("study");
  } catch (const Json::exception& e) {
    throw input_error(config_path.string(), std::string("unreadable (") + e.what() + ")", "a config.json written by bgm");
  }
  std::string differing;
  for (auto it = study.begin(); it != study.end(); ++it)
    if (!old.contains(it.key()) || old[it.key()] != it.value()) differing += (differing.empty() ? "" : ", ") + it.key();
  if (!differing.empty())
    throw input_error("--out " + out.string(), "a study with another configuration (differs in: " + differing + ")",
                      "the same configuration to complete it, or a new --out");
}

// out/runs/seedS/ROLE -> the run's directory in the store, so every run's files are reachable
// from the study directory even when the store is shared.
void link_run(const fs::path& out, uint64_t seed, const std::string& role, const fs::path& run_dir) {
  const fs::path link = out / "runs" / ("seed" + std::to_string(seed)) / role;
  fs::create_directories(link.parent_path());
  const fs::path tmp = link.string() + ".tmp";
  fs::remove(tmp);
  fs::create_directory_symlink(fs::absolute(run_dir), tmp);
  fs::rename(tmp, link);
}

double distance_between(const RunStore& store, const std::string& from, const std::string& to, const ModelSpec& spec) {
  auto a = make_model(spec), b = make_model(spec);
  load_state_dict(*a, store.weights(from));
  load_state_dict(*b, store.weights(to));
  return relative_distance(trainable_parameters(*a), trainable_parameters(*b));
}

Ordered stats_cell(const std::vector<Json>& results) {
  Ordered cell;
  for (const char* field : {"test_acc", "train_acc", "distance_from_start"}) {
    std::vector<double> v;
    for (const auto& r : results) v.push_back(r.at(field).get<double>());
    cell[field] = to_json(seed_stats(v));
  }
  return cell;
}

}  // namespace

std::string start_label(const GridConfig& config, int replicas) {
  if (replicas == 0) return "random";
  return config.study == "ablation" ? "adversarial" : "R=" + std::to_string(replicas);
}

Ordered run_grid_study(GridConfig config) {
  config.validate();
  if (config.study == "ablation" && config.replicas.size() != 1)
    throw input_error("--replicas", std::to_string(config.replicas.size()) + " values", "one R for an ablation (rsweep varies R)");
  const DataSplits data = load_study_data(config.data_dir, config.train_subset, config.test_subset, config.subset_seed);
  config.model.num_classes = data.train.num_classes();
  validate(config.model);
  config.apply_dataset_protocol(data.name);
  config.validate();
  settle_channels_last(config.compute, config.model);
  const Json study = config.to_json();
  check_output_dir(config.out, study);

  fs::create_directories(config.out);
  fs::create_directories(config.store);
  write_json_atomic(config.out / "config.json",
                    Json{{"study", study}, {"data", data_json(data)}, {"store", fs::absolute(config.store).string()},
                         {"build", build_info_json()}});
  fmt::print(stderr, "bgm {}: preset {} | {} ({} train, {} test images) | {} width {} | seeds {} | R {} | "
                     "{} modes | {} threads | {} -> {} (runs in {})\n",
             config.study, config.preset, data.name, data.train.size(), data.test.size(), config.model.name,
             config.model.width, Json(config.seeds).dump(), Json(config.replicas).dump(), config.modes.size(),
             at::get_num_threads(), to_string(config.compute.precision), config.out.string(), config.store.string());

  // results[start label][mode] = one result per seed; runs[seedS][role] = each run's result.
  std::map<std::string, std::map<std::string, std::vector<Json>>> results;
  Ordered runs;
  const std::string data_content =
      fmt::format("{:016x}", data.train.content_hash() ^ (data.test.content_hash() * 31));
  try {
    for (uint64_t seed : config.seeds) {
      GridRunner runner(config, data, data_content, seed);
      const std::string seed_key = "seed" + std::to_string(seed);
      auto record = [&](const std::string& role, const std::string& id) {
        link_run(config.out, seed, role, runner.store().dir(id));
        Json r = runner.store().result(id);
        // Measured from the stored weights, so every summary uses today's definition:
        // d(start, W) = ||start - W|| / ||W||, the paper's d(W0R,WVR) and d(W0A,WVA).
        if (r.contains("start")) r["distance_from_start"] = distance_between(runner.store(), r["start"], id, config.model);
        runs[seed_key][role] = r;
        return r;
      };
      const std::string w0r = runner.init();
      record("W0R", w0r);
      std::vector<std::pair<int, std::string>> starts = {{0, w0r}};
      for (int R : config.replicas) {
        const std::string w0a = runner.adversarial(w0r, R);
        record("W0A-R" + std::to_string(R), w0a);
        starts.emplace_back(R, w0a);
      }
      for (const auto& [R, start_id] : starts) {
        const std::string start_role = R == 0 ? "W0R" : "W0A-R" + std::to_string(R);
        for (const auto& mode : config.modes) {
          const std::string role = mode + "-from-" + start_role;
          results[start_label(config, R)][mode].push_back(record(role, runner.train(start_id, start_role, mode)));
        }
      }
    }
  } catch (const std::exception& e) {
    write_file_atomic(config.out / "error.txt", std::string(e.what()) + "\n");
    throw Error(std::string(e.what()) + " (finished runs are kept; error.txt in " + config.out.string() + ")");
  }
  fs::remove(config.out / "error.txt");

  Ordered cells;
  std::vector<std::string> labels = {"random"};
  for (int R : config.replicas) labels.push_back(start_label(config, R));
  for (const auto& label : labels)
    for (const auto& mode : config.modes) cells[label][mode] = stats_cell(results[label][mode]);

  Ordered summary = {{"study", config.study}, {"preset", config.preset}, {"dataset", data.name},
                     {"model", config.model.name}, {"width", config.model.width}, {"seeds", config.seeds},
                     {"replicas", config.replicas}, {"zero_out", config.zero_out}, {"modes", config.modes},
                     {"epochs", config.train_stop.max_epochs}, {"cells", cells}, {"runs", runs}};
  write_json_atomic(config.out / "summary.json", summary);
  write_file_atomic(config.out / "report.md", grid_report_markdown(summary, study));
  return summary;
}

}  // namespace bgm
