#include "bgm/study/study_dir.h"

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/interrupt.h"
#include "bgm/core/json_diff.h"
#include "bgm/measure/distance.h"
#include "bgm/models/model_state.h"

namespace fs = std::filesystem;

namespace bgm {

void check_study_dir(const fs::path& out, const nlohmann::json& study) {
  if (!fs::exists(out)) return;
  const fs::path config_path = out / "config.json";
  if (!fs::is_directory(out) || (!fs::exists(config_path) && !fs::is_empty(out)))
    throw input_error("--out " + out.string(), "an existing path that is not a bgm study directory",
                      "a new directory, or the directory of the same study to complete it");
  if (!fs::exists(config_path)) return;
  const nlohmann::json recorded = parse_json(read_file(config_path), config_path.string(), "a config.json written by bgm");
  if (!recorded.is_object() || !recorded.contains("study"))
    throw input_error(config_path.string(), "JSON without a \"study\" object", "a config.json written by bgm");
  const nlohmann::json& old = recorded["study"];
  const std::string differing = join_differences(json_differences(old, study));
  if (!differing.empty())
    throw input_error("--out " + out.string(), "a study with another configuration (differs in: " + differing + ")",
                      "the same configuration to complete it, or a new --out");
}

void run_recording_errors(const fs::path& out, const std::function<void()>& body) {
  try {
    body();
  } catch (const Interrupted&) {
    throw;  // stopped on request with its state saved: not a failure
  } catch (const std::exception& e) {
    write_file_atomic(out / "error.txt", std::string(e.what()) + "\n");
    throw Error(std::string(e.what()) + " (finished runs are kept; error.txt in " + out.string() + ")");
  }
  fs::remove(out / "error.txt");
}

void link_run(const fs::path& out, uint64_t seed, const std::string& role, const fs::path& run_dir) {
  const fs::path link = out / "runs" / ("seed" + std::to_string(seed)) / role;
  fs::create_directories(link.parent_path());
  const fs::path tmp = link.string() + ".tmp";
  fs::remove(tmp);
  fs::create_directory_symlink(fs::absolute(run_dir), tmp);
  fs::rename(tmp, link);
}

void place_file(const fs::path& from, const fs::path& to) {
  if (fs::exists(to) && fs::equivalent(from, to)) return;  // the same file already (a re-run)
  fs::create_directories(to.parent_path());
  const fs::path tmp = to.string() + ".tmp";
  fs::remove(tmp);
  std::error_code linked;
  fs::create_hard_link(from, tmp, linked);
  if (linked) fs::copy_file(from, tmp);
  fs::rename(tmp, to);
}

double stored_distance(const RunStore& store, const std::string& from, const std::string& to, const ModelSpec& spec) {
  auto a = make_model(spec), b = make_model(spec);
  load_state_dict(*a, store.weights(from));
  load_state_dict(*b, store.weights(to));
  return relative_distance(trainable_parameters(*a), trainable_parameters(*b));
}

void require_plan(const fs::path& out) {
  for (const char* file : {"config.json", "plan.json"})
    if (!fs::exists(out / file))
      throw input_error(out.string(), std::string("a directory without ") + file,
                        "a study directory written by `bgm plan STUDY ... --out DIR`");
}

}  // namespace bgm
