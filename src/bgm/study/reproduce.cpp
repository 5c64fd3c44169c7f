#include "bgm/study/reproduce.h"

#include <fmt/core.h>

#include <chrono>
#include <map>

#include "bgm/core/build_info.h"
#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/random.h"
#include "bgm/data/adversarial_set.h"
#include "bgm/measure/distance.h"
#include "bgm/models/model_state.h"
#include "bgm/report/reproduce_report.h"
#include "bgm/study/study_setup.h"
#include "bgm/train/trainer.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Json = nlohmann::ordered_json;  // summary.json keeps the key order

Json run_json(const EvalResult& train, const EvalResult& test, int epochs, double seconds) {
  return {{"train_acc", train.accuracy}, {"test_acc", test.accuracy}, {"train_loss", train.loss},
          {"test_loss", test.loss},      {"epochs", epochs},          {"seconds", seconds}};
}

void check_output_dir(const fs::path& out) {
  if (fs::exists(out) && (!fs::is_directory(out) || !fs::is_empty(out)))
    throw input_error("--out " + out.string(), "an existing, non-empty path",
                      "a new or empty directory (bgm never overwrites earlier results)");
}

Classifier clone(const ClassifierImpl& model, const ModelSpec& spec) {
  auto copy = make_model(spec);
  copy_state(model, *copy);
  return copy;
}

// Everything that can fail on input fails here, before the output directory exists.
DataSplits prepare(ReproduceConfig& config) {
  config.validate();
  DataSplits data = load_study_data(config.data_dir, config.train_subset, config.test_subset, config.seed);
  config.model.num_classes = data.train.num_classes();
  validate(config.model);
  config.apply_dataset_protocol(data.name);
  config.validate();
  check_output_dir(config.out);
  settle_channels_last(config.compute, config.model);
  return data;
}

// The study proper: W0R, W0A, then the four true-label runs, in this order (the random streams
// and hence the results depend on it).
Json run_study(const ReproduceConfig& config, const DataSplits& data) {
  const auto& norm = data.normalization;
  const Compute& compute = config.compute;
  const fs::path& out = config.out;
  std::map<std::string, Classifier> models;
  Json runs;

  // W0R: the seeded framework-default initialization, made on the CPU so it is the same on
  // every device.
  const auto w0r_start = std::chrono::steady_clock::now();
  torch::manual_seed(derive_seed(config.seed, "init"));
  models["W0R"] = make_model(config.model);
  save_state_dict(*models["W0R"], out / "weights" / "W0R.pt");
  place_model(*models["W0R"], compute);
  const EvalResult w0r_train = evaluate(*models["W0R"], data.train, norm, compute);
  const EvalResult w0r_test = evaluate(*models["W0R"], data.test, norm, compute);
  write_file_atomic(out / "metrics" / "W0R.csv", untrained_metrics_csv(w0r_train, w0r_test));
  runs["W0R"] = run_json(w0r_train, w0r_test, 0,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - w0r_start).count());

  // W0A: W0R fitted to the random labels of Algorithm 1's set.
  Dataset adversarial = make_adversarial_set(data.train, {config.replicas, config.zero_out, config.seed});
  fmt::print(stderr, "Algorithm 1: {} images ({} per training image, {} entries zeroed each)\n",
             adversarial.size(), config.replicas, zeroed_entries(config.zero_out));
  models["W0A"] = clone(*models["W0R"], config.model);
  place_model(*models["W0A"], compute);
  RunResult w0a = train_run(*models["W0A"], adversarial, data.test, norm,
                            {"W0A", config.adversarial_sgd, config.adversarial_stop, config.seed},
                            compute, out / "metrics" / "W0A.csv");
  save_state_dict(*models["W0A"], out / "weights" / "W0A.pt");
  runs["W0A"] = run_json(evaluate(*models["W0A"], data.train, norm, compute), w0a.test, w0a.epochs, w0a.seconds);
  runs["W0A"]["random_label_train_acc"] = w0a.train.accuracy;
  runs["W0A"]["random_label_train_loss"] = w0a.train.loss;
  runs["W0A"]["adversarial_set_images"] = adversarial.size();
  runs["W0A"]["reached_target"] = w0a.reached_target;
  adversarial = Dataset();  // release N * R images before the next runs

  struct Job {
    const char* name;
    const char* start;
    const SgdSettings* sgd;
    const StopRule* stop;
  };
  const Job jobs[] = {{"WVR", "W0R", &config.vanilla, &config.vanilla_stop},
                      {"WSR", "W0R", &config.sota, &config.sota_stop},
                      {"WVA", "W0A", &config.vanilla, &config.vanilla_stop},
                      {"WSA", "W0A", &config.sota, &config.sota_stop}};
  for (const auto& job : jobs) {
    models[job.name] = clone(*models[job.start], config.model);
    place_model(*models[job.name], compute);
    RunResult r = train_run(*models[job.name], data.train, data.test, norm,
                            {job.name, *job.sgd, *job.stop, config.seed}, compute,
                            out / "metrics" / (std::string(job.name) + ".csv"));
    save_state_dict(*models[job.name], out / "weights" / (std::string(job.name) + ".pt"));
    runs[job.name] = run_json(r.train, r.test, r.epochs, r.seconds);
    runs[job.name]["start"] = job.start;
    if (job.stop->has_target()) runs[job.name]["reached_target"] = r.reached_target;
  }
  // The order W0R, W0A, WVR, WSR, WVA, WSA is the insertion order above.

  Json distances;
  for (const auto& [a, b] : table1_pairs())
    distances["d(" + a + "," + b + ")"] =
        relative_distance(trainable_parameters(*models[a]), trainable_parameters(*models[b]));

  return {{"preset", config.preset}, {"dataset", data.name}, {"model", config.model.name},
          {"width", config.model.width}, {"seed", config.seed}, {"runs", runs},
          {"distances", distances}};
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& table1_pairs() {
  static const std::vector<std::pair<std::string, std::string>> pairs = {
      {"W0R", "WVR"}, {"W0R", "WSR"}, {"W0R", "W0A"}, {"W0R", "WVA"},
      {"W0R", "WSA"}, {"W0A", "WVA"}, {"W0A", "WSA"}};
  return pairs;
}

nlohmann::ordered_json run_reproduce(ReproduceConfig config) {
  const DataSplits data = prepare(config);

  fs::create_directories(config.out);
  nlohmann::json config_json = config.to_json();
  config_json["data"] = data_json(data);
  config_json["build"] = build_info_json();
  write_json_atomic(config.out / "config.json", config_json);
  fmt::print(stderr, "bgm reproduce: preset {} | {} ({} train, {} test images, {} classes) | {} width {} | "
                     "seed {} | {} threads | {} {} -> {}\n",
             config.preset, data.name, data.train.size(), data.test.size(), data.train.num_classes(),
             config.model.name, config.model.width, config.seed, at::get_num_threads(),
             config.compute.device.str(), to_string(config.compute.precision), config.out.string());

  Json summary;
  try {
    summary = run_study(config, data);
  } catch (const std::exception& e) {
    // A run that fails midway (divergence, a full disk) leaves its finished files and says why;
    // summary.json is only ever written complete.
    write_file_atomic(config.out / "error.txt", std::string(e.what()) + "\n");
    throw Error(std::string(e.what()) + " (partial results and error.txt in " + config.out.string() + ")");
  }
  write_json_atomic(config.out / "summary.json", summary);
  write_file_atomic(config.out / "report.md", reproduce_report_markdown(nlohmann::json(summary), config_json));
  return summary;
}

}  // namespace bgm
