#include "bgm/study/grid_study.h"

#include <fmt/core.h>

#include "bgm/core/build_info.h"
#include "bgm/core/invocation.h"
#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/interrupt.h"
#include "bgm/measure/seed_stats.h"
#include "bgm/report/study_report.h"
#include "bgm/study/run_maker.h"
#include "bgm/study/run_measures.h"
#include "bgm/study/run_outcomes.h"
#include "bgm/study/study_dir.h"
#include "bgm/study/study_setup.h"
#include "bgm/train/heuristics.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Json = nlohmann::json;
using Ordered = nlohmann::ordered_json;

// Seed statistics of a cell's finished runs; "failed" counts the seeds whose run did not finish,
// and a field is null when none did.
Ordered stats_cell(const std::vector<Json>& results) {
  Ordered cell;
  int failed = 0;
  for (const auto& r : results) failed += is_failure(r) ? 1 : 0;
  for (const char* field : {"test_acc", "train_acc", "distance_from_start"}) {
    std::vector<double> v;
    for (const auto& r : results)
      if (!is_failure(r)) v.push_back(r.at(field).get<double>());
    cell[field] = v.empty() ? Ordered() : Ordered(to_json(seed_stats(v)));
  }
  if (failed > 0) cell["failed"] = failed;
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
  const DataSplits data = load_study_data(config.data_dir, config.train_subset, config.test_subset,
                                              config.subset_seed, config.resize);
  config.model.num_classes = data.train.num_classes();
  validate(config.model);
  config.apply_dataset_protocol(data.name);
  config.validate();
  settle_channels_last(config.compute, config.model);
  const Json study = config.to_json();
  check_study_dir(config.out, study);

  ensure_writable_dir(config.out, "--out");
  ensure_writable_dir(config.store, "--store");
  write_json_atomic(config.out / "config.json",
                    Json{{"study", study}, {"data", data_json(data)}, {"store", fs::absolute(config.store).string()},
                         {"build", build_info_json()}, {"invocation", invocation_json()}});
  fmt::print(stderr, "bgm {}: preset {} | {} ({} train, {} test images) | {} width {} | seeds {} | R {} | "
                     "{} modes | {} threads | {} -> {} (runs in {})\n",
             config.study, config.preset, data.name, data.train.size(), data.test.size(), config.model.name,
             config.model.width, Json(config.seeds).dump(), Json(config.replicas).dump(), config.modes.size(),
             at::get_num_threads(), to_string(config.compute.precision), config.out.string(), config.store.string());

  // results[start label][mode] = one result per seed; runs[seedS][role] = each run's result.
  std::map<std::string, std::map<std::string, std::vector<Json>>> results;
  Ordered runs;
  const std::string data_content = data_content_id(data);
  // Every run gets the study's batch size and last-batch rule.
  auto batched = [&config](SgdSettings sgd) {
    sgd.batch_size = config.batch_size;
    sgd.drop_last = config.drop_last;
    return sgd;
  };
  const SgdSettings adversarial_sgd = batched(config.adversarial_sgd);
  std::map<std::string, RunOutcomes> outcomes;  // by "seedS"
  run_recording_errors(config.out, [&] {
    for (uint64_t seed : config.seeds) {
      RunMaker runner(config.model, config.compute, data, data_content, seed, config.store);
      const std::string seed_key = "seed" + std::to_string(seed);
      RunOutcomes& made = outcomes[seed_key];
      // The run's result with its measures, or its failure; linked into the study either way.
      auto record = [&](const std::string& role) {
        const auto begun = made.begun();
        if (begun.count(role)) link_run(config.out, seed, role, runner.store().dir(begun.at(role)));
        Json r;
        if (!made.finished(role)) {
          r = made.failure(role);
        } else {
          const std::string& id = made.id(role);
          r = runner.store().result(id);
          // Measured from the stored weights, so every summary uses today's definition:
          // d(start, W) = ||start - W|| / ||W||, the paper's d(W0R,WVR) and d(W0A,WVA).
          if (r.contains("start"))
            r["distance_from_start"] = stored_distance(runner.store(), r["start"], id, config.model);
          if (config.measures.enabled)
            r.update(summary_measures(run_measures(runner.store(), id, config.model, data, config.compute, config.measures)));
        }
        runs[seed_key][role] = r;
        return r;
      };
      made.attempt("W0R", "", [&] { return runner.init(); });
      record("W0R");
      std::vector<std::pair<int, std::string>> starts = {{0, "W0R"}};
      for (int R : config.replicas) {
        const std::string key = RunMaker::adversarial_key(R);
        made.attempt(key, "W0R", [&] {
          return runner.adversarial(made.id("W0R"), R, config.zero_out, adversarial_sgd, config.adversarial_stop);
        });
        record(key);
        starts.emplace_back(R, key);
      }
      for (const auto& [R, start_key] : starts)
        for (const auto& mode : config.modes) {
          SgdSettings sgd = sgd_for_mode(mode, config.schedule, config.weight_decay, "--modes");
          if (sgd.momentum > 0) sgd.momentum = config.momentum;
          const std::string key = RunMaker::train_key(mode, start_key);
          made.attempt(key, start_key, [&, start_key = start_key] {
            return runner.train(made.id(start_key), start_key, mode, batched(sgd), config.train_stop);
          });
          results[start_label(config, R)][mode].push_back(record(key));
        }
    }
  });

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
  write_study_report(config.out, /*figures_required=*/false);
  throw_if_any_failed(outcomes, config.out);
  return summary;
}

}  // namespace bgm
