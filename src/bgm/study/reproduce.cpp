#include "bgm/study/reproduce.h"

#include <fmt/core.h>

#include <map>

#include "bgm/core/build_info.h"
#include "bgm/core/invocation.h"
#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/interrupt.h"
#include "bgm/measure/seed_stats.h"
#include "bgm/models/model_state.h"
#include "bgm/report/study_report.h"
#include "bgm/study/run_maker.h"
#include "bgm/study/run_measures.h"
#include "bgm/study/run_outcomes.h"
#include "bgm/study/study_dir.h"
#include "bgm/study/study_plan.h"
#include "bgm/study/study_setup.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Json = nlohmann::json;
using Ordered = nlohmann::ordered_json;  // summary.json keeps the key order

const char* const kRoles[] = {"W0R", "W0A", "WVR", "WSR", "WVA", "WSA"};

// The role a run starts from: W0A and the runs ending in R from W0R, the others from W0A.
std::string start_of(const std::string& role) { return role == "W0A" || role.back() == 'R' ? "W0R" : "W0A"; }

// Everything that can fail on input fails here, before the output directory exists.
DataSplits prepare(ReproduceConfig& config) {
  config.validate();
  DataSplits data = load_study_data(config.data_dir, config.train_subset, config.test_subset, config.subset_seed,
                                    config.resize);
  config.model.num_classes = data.train.num_classes();
  validate(config.model);
  if (!config.init_from.empty()) load_state_dict(*make_model(config.model), config.init_from);  // fits the model?
  config.apply_dataset_protocol(data.name);
  config.validate();
  settle_channels_last(config.compute, config.model);
  check_study_dir(config.out, config.to_json());
  return data;
}

// Every seed's six runs as tasks: W0R, then the runs from W0R (W0A, WVR, WSR), then those from
// W0A (WVA, WSA).
StudyPlan reproduce_plan(const ReproduceConfig& c) {
  StudyPlan plan;
  for (uint64_t seed : c.seeds)
    for (const std::string role : kRoles) plan.push_back(study_task(seed, role, role == "W0R" ? "" : start_of(role)));
  return order_by_phase(plan);
}

// Makes (or finds finished) one of a seed's six runs.
std::string make_reproduce_run(const ReproduceConfig& c, const StudyTask& task, RunMaker& maker, const RunOutcomes& runs) {
  const std::string& role = task.role;
  if (role == "W0R") return maker.init(c.init_from);
  if (role == "W0A") return maker.adversarial(runs.id("W0R"), c.replicas, c.zero_out, c.adversarial_sgd, c.adversarial_stop);
  const std::string start_key = task.start == "W0R" ? "W0R" : RunMaker::adversarial_key(c.replicas);
  const bool vanilla = role[1] == 'V';
  return maker.train(runs.id(task.start), start_key, vanilla ? "vanilla" : "sota", vanilla ? c.vanilla : c.sota,
                     vanilla ? c.vanilla_stop : c.sota_stop);
}

// {"runs": {role: result}, "distances": {"d(A,B)": x}} of one seed, from the store's files. A
// failed run's entry is its failure and every number that needs it is null.
Ordered seed_json(const ReproduceConfig& c, const DataSplits& data, const RunStore& store, const RunOutcomes& outcomes) {
  Ordered runs, distances;
  for (const char* role : kRoles) {
    if (!outcomes.finished(role)) {
      runs[role] = Ordered::parse(outcomes.failure(role).dump());
      continue;
    }
    throw_if_stop_requested(std::string("measuring ") + role);
    const std::string& id = outcomes.id(role);
    Ordered r = Ordered::parse(store.result(id).dump());
    if (c.measures.enabled)
      r.update(Ordered(summary_measures(run_measures(store, id, c.model, data, c.compute, c.measures))));
    if (r.contains("start")) {
      r["start_id"] = r["start"];
      r["start"] = start_of(role);
    }
    runs[role] = r;
  }
  for (const auto& [a, b] : table1_pairs())
    distances["d(" + a + "," + b + ")"] =
        outcomes.finished(a) && outcomes.finished(b) ? Ordered(stored_distance(store, outcomes.id(a), outcomes.id(b), c.model))
                                                     : Ordered();
  Ordered block = {{"runs", runs}, {"distances", distances}};
  // Beyond the paper: the straight lines vanilla SGD could have taken.
  if (c.measures.enabled && c.measures.path_points > 0)
    for (const auto& [from, to] : {std::pair{"W0R", "WVR"}, std::pair{"W0A", "WVA"}})
      block["paths"][std::string(from) + "->" + to] =
          outcomes.finished(from) && outcomes.finished(to)
              ? Ordered(run_path(store, outcomes.id(from), outcomes.id(to), c.model, data, c.compute, c.measures.path_points))
              : Ordered();
  return block;
}

// Seed statistics of the numbers in every seed's block; a failed run's seeds are left out
// (the stats' n says how many remain), and a value no seed has is null.
Ordered seed_statistics(const std::vector<Ordered>& seeds) {
  auto stats_of = [](const std::vector<double>& v) { return v.empty() ? Ordered() : Ordered(to_json(seed_stats(v))); };
  Ordered stats;
  for (const char* role : kRoles)
    for (const char* field : {"train_acc", "test_acc", "train_loss", "test_loss"}) {
      std::vector<double> v;
      for (const auto& s : seeds)
        // A failed run has no such field; an infinite loss is null in JSON.
        if (s["runs"][role].value(field, Ordered()).is_number()) v.push_back(s["runs"][role][field].get<double>());
      stats["runs"][role][field] = stats_of(v);
    }
  for (const auto& [key, unused] : seeds.front()["distances"].items()) {
    std::vector<double> v;
    for (const auto& s : seeds)
      if (s["distances"][key].is_number()) v.push_back(s["distances"][key].get<double>());
    stats["distances"][key] = stats_of(v);
  }
  return stats;
}

// Makes what config.exec asks for of the study's tasks; returns the outcomes by "seedS".
std::map<std::string, RunOutcomes> run_study_tasks(const ReproduceConfig& config, const DataSplits& data) {
  const std::string data_content = data_content_id(data);
  return run_tasks(
      reproduce_plan(config), config.exec,
      [&](uint64_t seed) { return std::make_unique<RunMaker>(config.model, config.compute, data, data_content, seed, config.store); },
      [&](const StudyTask& task, RunMaker& maker, const RunOutcomes& runs) { return make_reproduce_run(config, task, maker, runs); },
      config.out);
}

// The summary of the study whose runs are in `outcomes`; links and places their files in --out.
Ordered summarize(const ReproduceConfig& config, const DataSplits& data, std::map<std::string, RunOutcomes>& outcomes) {
  const RunStore store(config.store);
  std::vector<Ordered> blocks;
  Ordered by_seed;
  for (uint64_t seed : config.seeds) {
    const RunOutcomes& runs = outcomes["seed" + std::to_string(seed)];
    const auto dirs = runs.begun();
    for (const auto& [role, id] : dirs) link_run(config.out, seed, role, store.dir(id));
    if (seed == config.seeds.front())  // the layout, for the seed summary.json describes
      for (const auto& [role, id] : dirs) {
        // A failed run has no weights; its metrics so far still go to the curves.
        if (runs.finished(role)) place_file(store.weights(id), config.out / "weights" / (role + ".pt"));
        if (fs::exists(store.metrics(id))) place_file(store.metrics(id), config.out / "metrics" / (role + ".csv"));
      }
    blocks.push_back(seed_json(config, data, store, runs));
    by_seed["seed" + std::to_string(seed)] = blocks.back();
  }
  Ordered summary = {{"preset", config.preset}, {"dataset", data.name}, {"model", config.model.name},
                     {"width", config.model.width}, {"seed", config.seeds.front()},
                     {"runs", blocks.front()["runs"]}, {"distances", blocks.front()["distances"]}};
  if (blocks.front().contains("paths")) summary["paths"] = blocks.front()["paths"];
  if (config.seeds.size() > 1) {
    summary["seeds"] = config.seeds;
    summary["by_seed"] = by_seed;
    summary["stats"] = seed_statistics(blocks);
  }
  return summary;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& table1_pairs() {
  static const std::vector<std::pair<std::string, std::string>> pairs = {
      {"W0R", "WVR"}, {"W0R", "WSR"}, {"W0R", "W0A"}, {"W0R", "WVA"},
      {"W0R", "WSA"}, {"W0A", "WVA"}, {"W0A", "WSA"}};
  return pairs;
}

nlohmann::ordered_json run_reproduce(ReproduceConfig config) {
  using Mode = StudyExecution::Mode;
  const Mode mode = config.exec.mode;
  if (mode == Mode::kTask || mode == Mode::kAssemble) require_plan(config.out);
  const DataSplits data = prepare(config);

  if (config.exec.writes_config()) {  // a task or the report keeps the plan's config.json
    ensure_writable_dir(config.out, "--out");
    ensure_writable_dir(config.store, "--store");
    const Json config_json = {{"study", config.to_json()}, {"data", data_json(data)},
                              {"store", fs::absolute(config.store).string()}, {"build", build_info_json()},
                              {"invocation", invocation_json()}};
    write_json_atomic(config.out / "config.json", config_json);
  }
  fmt::print(stderr, "bgm reproduce: preset {} | {} ({} train, {} test images, {} classes) | {} width {} | "
                     "seeds {} | {} threads | {} {} -> {} (runs in {})\n",
             config.preset, data.name, data.train.size(), data.test.size(), data.train.num_classes(),
             config.model.name, config.model.width, Json(config.seeds).dump(), at::get_num_threads(),
             config.compute.device.str(), to_string(config.compute.precision), config.out.string(),
             config.store.string());
  if (mode == Mode::kPlan) {
    write_plan(config.out, "reproduce", reproduce_plan(config), config.exec.slurm, program_path());
    return {};
  }
  if (mode == Mode::kTask) {
    run_study_tasks(config, data);
    return {};
  }

  Ordered summary;
  std::map<std::string, RunOutcomes> outcomes;  // by "seedS"
  run_recording_errors(config.out, [&] {
    outcomes = run_study_tasks(config, data);
    summary = summarize(config, data, outcomes);
  });
  write_json_atomic(config.out / "summary.json", summary);
  write_study_report(config.out, /*figures_required=*/false);
  throw_if_any_failed(outcomes, config.out);
  return summary;
}

}  // namespace bgm
