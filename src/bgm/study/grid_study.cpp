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
#include "bgm/study/study_plan.h"
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

// Every seed's runs as tasks: W0R; then one W0A per R and every mode from W0R; then every mode
// from every W0A.
StudyPlan grid_plan(const GridConfig& config) {
  StudyPlan plan;
  for (uint64_t seed : config.seeds) {
    plan.push_back(study_task(seed, "W0R", ""));
    for (int R : config.replicas) plan.push_back(study_task(seed, RunMaker::adversarial_key(R), "W0R"));
    std::vector<std::string> starts = {"W0R"};
    for (int R : config.replicas) starts.push_back(RunMaker::adversarial_key(R));
    for (const auto& start : starts)
      for (const auto& mode : config.modes) plan.push_back(study_task(seed, RunMaker::train_key(mode, start), start));
  }
  return order_by_phase(plan);
}

// Every run gets the study's batch size and last-batch rule.
SgdSettings batched(const GridConfig& config, SgdSettings sgd) {
  sgd.batch_size = config.batch_size;
  sgd.drop_last = config.drop_last;
  return sgd;
}

// Makes (or finds finished) one run of a seed.
std::string make_grid_run(const GridConfig& config, const StudyTask& task, RunMaker& maker, const RunOutcomes& runs) {
  if (task.role == "W0R") return maker.init();
  for (int R : config.replicas)
    if (task.role == RunMaker::adversarial_key(R))
      return maker.adversarial(runs.id("W0R"), R, config.zero_out, batched(config, config.adversarial_sgd), config.adversarial_stop);
  const std::string mode = task.role.substr(0, task.role.find("-from-"));
  SgdSettings sgd = sgd_for_mode(mode, config.schedule, config.weight_decay, "--modes");
  if (sgd.momentum > 0) sgd.momentum = config.momentum;
  return maker.train(runs.id(task.start), task.start, mode, batched(config, sgd), config.train_stop);
}

std::map<std::string, RunOutcomes> run_grid_tasks(const GridConfig& config, const DataSplits& data, const std::string& data_content) {
  return run_tasks(
      grid_plan(config), config.exec,
      [&](uint64_t seed) { return std::make_unique<RunMaker>(config.model, config.compute, data, data_content, seed, config.store); },
      [&](const StudyTask& task, RunMaker& maker, const RunOutcomes& runs) { return make_grid_run(config, task, maker, runs); },
      config.out);
}

}  // namespace

std::string start_label(const GridConfig& config, int replicas) {
  if (replicas == 0) return "random";
  return config.study == "ablation" ? "adversarial" : "R=" + std::to_string(replicas);
}

Ordered run_grid_study(GridConfig config) {
  if (config.exec.mode == StudyExecution::Mode::kTask || config.exec.mode == StudyExecution::Mode::kAssemble)
    require_plan(config.out);
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

  using Mode = StudyExecution::Mode;
  if (config.exec.writes_config()) {  // a task or the report keeps the plan's
    ensure_writable_dir(config.out, "--out");
    ensure_writable_dir(config.store, "--store");
    write_json_atomic(config.out / "config.json",
                      Json{{"study", study}, {"data", data_json(data)}, {"store", fs::absolute(config.store).string()},
                           {"build", build_info_json()}, {"invocation", invocation_json()}});
  }
  fmt::print(stderr, "bgm {}: preset {} | {} ({} train, {} test images) | {} width {} | seeds {} | R {} | "
                     "{} modes | {} threads | {} -> {} (runs in {})\n",
             config.study, config.preset, data.name, data.train.size(), data.test.size(), config.model.name,
             config.model.width, Json(config.seeds).dump(), Json(config.replicas).dump(), config.modes.size(),
             at::get_num_threads(), to_string(config.compute.precision), config.out.string(), config.store.string());

  // results[start label][mode] = one result per seed; runs[seedS][role] = each run's result.
  std::map<std::string, std::map<std::string, std::vector<Json>>> results;
  Ordered runs;
  if (config.exec.mode == Mode::kPlan) {
    write_plan(config.out, config.study, grid_plan(config), config.exec.slurm, program_path());
    return {};
  }
  const std::string data_content = data_content_id(data);  // every pixel hashed: only when runs are made
  std::map<std::string, RunOutcomes> outcomes;  // by "seedS"
  if (config.exec.mode == StudyExecution::Mode::kTask) {
    outcomes = run_grid_tasks(config, data, data_content);
    return {};
  }
  run_recording_errors(config.out, [&] {
    outcomes = run_grid_tasks(config, data, data_content);
    const RunStore store(config.store);
    for (uint64_t seed : config.seeds) {
      const std::string seed_key = "seed" + std::to_string(seed);
      const RunOutcomes& made = outcomes[seed_key];
      // The run's result with its measures, or its failure; linked into the study either way.
      auto record = [&](const std::string& role) {
        const auto begun = made.begun();
        if (begun.count(role)) link_run(config.out, seed, role, store.dir(begun.at(role)));
        Json r;
        if (!made.finished(role)) {
          r = made.failure(role);
        } else {
          const std::string& id = made.id(role);
          r = store.result(id);
          // Measured from the stored weights, so every summary uses today's definition:
          // d(start, W) = ||start - W|| / ||W||, the paper's d(W0R,WVR) and d(W0A,WVA).
          if (r.contains("start")) r["distance_from_start"] = stored_distance(store, r["start"], id, config.model);
          if (config.measures.enabled)
            r.update(summary_measures(run_measures(store, id, config.model, data, config.compute, config.measures)));
        }
        runs[seed_key][role] = r;
        return r;
      };
      record("W0R");
      std::vector<std::pair<int, std::string>> starts = {{0, "W0R"}};
      for (int R : config.replicas) {
        record(RunMaker::adversarial_key(R));
        starts.emplace_back(R, RunMaker::adversarial_key(R));
      }
      for (const auto& [R, start_key] : starts)
        for (const auto& mode : config.modes)
          results[start_label(config, R)][mode].push_back(record(RunMaker::train_key(mode, start_key)));
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
