#include "bgm/study/study_plan.h"

#include <fmt/core.h>

#include <algorithm>
#include <utility>

#include "bgm/core/error.h"
#include "bgm/core/files.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

std::string seed_key(uint64_t seed) { return "seed" + std::to_string(seed); }

std::string task_name(const StudyPlan& plan, size_t i) {
  return fmt::format("task {} ({} {})", i, seed_key(plan[i].seed), plan[i].role);
}

// The index of the task that makes `role` for `seed`.
size_t index_of(const StudyPlan& plan, uint64_t seed, const std::string& role) {
  for (size_t i = 0; i < plan.size(); ++i)
    if (plan[i].seed == seed && plan[i].role == role) return i;
  throw Error(fmt::format("the study's plan has no run {} for seed {}", role, seed));
}

// The tasks `index` starts from, the first run of the chain first, then `index` itself.
std::vector<size_t> start_chain(const StudyPlan& plan, size_t index) {
  std::vector<size_t> chain = {index};
  while (!plan[chain.back()].start.empty()) chain.push_back(index_of(plan, plan[chain.back()].seed, plan[chain.back()].start));
  std::reverse(chain.begin(), chain.end());
  return chain;
}

// The task at `index` must be the one plan.json lists there: a bgm that orders tasks otherwise
// than the one that made the plan would make another run than the scheduler meant.
void check_planned_task(const StudyPlan& plan, size_t index, const fs::path& out) {
  const fs::path path = out / "plan.json";
  const auto written = parse_json(read_file(path), path.string(), "a plan.json written by bgm plan");
  const auto& tasks = written.is_object() ? written.value("tasks", nlohmann::json::array()) : nlohmann::json::array();
  const auto& t = index < tasks.size() ? tasks[index] : nlohmann::json();
  if (!t.is_object() || t.value("seed", uint64_t{0}) != plan[index].seed || t.value("role", std::string()) != plan[index].role)
    throw input_error(path.string() + " task " + std::to_string(index), t.is_object() ? t.dump() : "no such task",
                      fmt::format("seed {} role {}, the task this bgm makes at that index (plan again with this bgm)",
                                  plan[index].seed, plan[index].role));
}

// A single-quoted word for a shell script.
std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string sbatch_header(const SlurmOptions& slurm, const std::string& job, const std::string& log) {
  std::string h = "#!/bin/bash\n";
  h += "#SBATCH --job-name=" + job + "\n";
  h += "#SBATCH --output=" + log + "\n";
  h += "#SBATCH --open-mode=append\n";  // a requeued task goes on in the same log
  h += "#SBATCH --time=" + slurm.time_limit + "\n";
  h += "#SBATCH --ntasks=1\n";
  if (slurm.cpus_per_task > 0) h += fmt::format("#SBATCH --cpus-per-task={}\n", slurm.cpus_per_task);
  if (slurm.gpus_per_task > 0) h += fmt::format("#SBATCH --gpus-per-task={}\n", slurm.gpus_per_task);
  if (!slurm.partition.empty()) h += "#SBATCH --partition=" + slurm.partition + "\n";
  size_t begin = 0;
  while (begin < slurm.extra.size()) {
    size_t end = slurm.extra.find(';', begin);
    if (end == std::string::npos) end = slurm.extra.size();
    const std::string option = slurm.extra.substr(begin, end - begin);
    if (!option.empty()) h += "#SBATCH " + option + "\n";
    begin = end + 1;
  }
  return h;
}

std::string task_script(const fs::path& out, const SlurmOptions& slurm, const fs::path& bgm) {
  std::string s = sbatch_header(slurm, "bgm-task", (out / "slurm" / "logs" / "task-%A_%a.out").string());
  s += slurm.requeue ? "#SBATCH --requeue\n" : "#SBATCH --no-requeue\n";
  s += "# One run of the study per array task. A preempted task is sent SIGTERM: bgm saves the run's\n"
       "# state and stops; requeued, it continues from there. A finished run is skipped.\n"
       "set -euo pipefail\n";
  std::string threads = slurm.cpus_per_task > 0 ? fmt::format(" --threads {}", slurm.cpus_per_task) : "";
  s += "exec " + quoted(bgm.string()) + " run-task " + quoted(out.string()) + " \"$SLURM_ARRAY_TASK_ID\"" + threads + "\n";
  return s;
}

std::string report_script(const fs::path& out, const SlurmOptions& slurm, const fs::path& bgm) {
  // The same resources as a task: the report measures every model on the study's device.
  std::string s = sbatch_header(slurm, "bgm-report", (out / "slurm" / "logs" / "report-%j.out").string());
  s += "# The study's summary.json, report.md, report.html and figures, from the finished runs.\n"
       "set -euo pipefail\n";
  s += "exec " + quoted(bgm.string()) + " report " + quoted(out.string()) + "\n";
  return s;
}

std::string submit_script(const StudyPlan& plan, const SlurmOptions& slurm) {
  std::string s =
      "#!/bin/bash\n"
      "# Submits the study to Slurm: one job array per phase of the plan (plan.json), each phase after\n"
      "# the one before it finished well (--dependency=afterok), then the report. Arguments are\n"
      "# passed to every sbatch (e.g. --account=NAME). Prints the job ids.\n"
      "set -euo pipefail\n"
      "cd \"$(dirname \"$0\")\"\n"
      "mkdir -p logs\n"
      "after=()\n";
  const std::string throttle = slurm.throttle > 0 ? fmt::format("%{}", slurm.throttle) : "";
  for (int phase = 0; phase <= 2; ++phase) {
    int64_t first = -1, last = -1;
    for (size_t i = 0; i < plan.size(); ++i)
      if (plan[i].phase == phase) {
        if (first < 0) first = static_cast<int64_t>(i);
        last = static_cast<int64_t>(i);
      }
    if (first < 0) continue;
    s += fmt::format("job=$(sbatch --parsable ${{after[@]+\"${{after[@]}}\"}} \"$@\" --array={}-{}{} task.sbatch)\n", first, last, throttle);
    s += "job=${job%%;*}\n";
    s += fmt::format("echo \"phase {}: tasks {}-{}: job $job\"\n", phase, first, last);
    s += "after=(--dependency=afterok:$job)\n";
  }
  s += "job=$(sbatch --parsable ${after[@]+\"${after[@]}\"} \"$@\" report.sbatch)\n"
       "echo \"report: job ${job%%;*}\"\n";
  return s;
}

}  // namespace

StudyTask study_task(uint64_t seed, const std::string& role, const std::string& start) {
  return {seed, role, start, start.empty() ? 0 : start == "W0R" ? 1 : 2};
}

StudyPlan order_by_phase(StudyPlan tasks) {
  std::stable_sort(tasks.begin(), tasks.end(), [](const StudyTask& a, const StudyTask& b) { return a.phase < b.phase; });
  return tasks;
}

void SlurmOptions::validate() const {
  if (throttle < 0) throw input_error("--slurm-throttle", std::to_string(throttle), "a number >= 0 (0: no limit)");
  if (cpus_per_task < 0) throw input_error("--slurm-cpus", std::to_string(cpus_per_task), "a number >= 0");
  if (gpus_per_task < 0) throw input_error("--slurm-gpus", std::to_string(gpus_per_task), "a number >= 0");
  if (time_limit.empty() || time_limit.find_first_not_of("0123456789:-") != std::string::npos)
    throw input_error("--slurm-time", "'" + time_limit + "'", "a Slurm time such as 48:00:00 or 2-00:00:00");
  for (const std::string* text : {&partition, &extra})
    if (text->find('\n') != std::string::npos)
      throw input_error(text == &partition ? "--slurm-partition" : "--slurm-extra", "a line break", "one line");
}

std::map<std::string, RunOutcomes> run_tasks(const StudyPlan& plan, const StudyExecution& exec, const MakerFor& maker_for,
                                             const MakeTask& make, const fs::path& out) {
  std::map<std::string, RunOutcomes> outcomes;
  std::map<uint64_t, std::unique_ptr<RunMaker>> makers;
  auto attempt = [&](size_t i, bool may_make) {
    const StudyTask& task = plan[i];
    auto& maker = makers[task.seed];
    if (!maker) maker = maker_for(task.seed);
    maker->allow_making(may_make);
    RunOutcomes& runs = outcomes[seed_key(task.seed)];
    runs.attempt(task.role, task.start, [&] { return make(task, *maker, runs); });
  };
  switch (exec.mode) {
    case StudyExecution::Mode::kPlan:
      break;
    case StudyExecution::Mode::kAll:
      for (size_t i = 0; i < plan.size(); ++i) attempt(i, true);
      break;
    case StudyExecution::Mode::kTask: {
      if (exec.task < 0 || exec.task >= static_cast<int64_t>(plan.size()))
        throw input_error("task index", std::to_string(exec.task),
                          fmt::format("an index in 0..{} ({}/plan.json)", plan.size() - 1, out.string()));
      check_planned_task(plan, static_cast<size_t>(exec.task), out);
      const auto chain = start_chain(plan, static_cast<size_t>(exec.task));
      for (size_t k = 0; k + 1 < chain.size(); ++k) {
        try {
          attempt(chain[k], false);
        } catch (const RunNotFinished& e) {
          throw RunNotFinished(fmt::format("{} starts from {}, which is not finished ({}): run `bgm run-task {} {}` first",
                                           task_name(plan, chain.back()), task_name(plan, chain[k]), e.what(),
                                           out.string(), chain[k]));
        }
      }
      attempt(chain.back(), true);
      break;
    }
    case StudyExecution::Mode::kAssemble: {
      std::vector<std::string> missing;
      for (size_t i = 0; i < plan.size(); ++i) {
        try {
          attempt(i, false);
        } catch (const RunNotFinished&) {  // RunOutcomes remembers it for the runs from it
          missing.push_back(task_name(plan, i));
        }
      }
      if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        throw RunNotFinished(fmt::format("{}: {} of the plan's {} runs are not finished: {}; run them with `bgm run-task {} "
                                         "INDEX` (or the study's command) first",
                                         out.string(), missing.size(), plan.size(), list, out.string()));
      }
      break;
    }
  }
  return outcomes;
}

nlohmann::ordered_json plan_json(const std::string& study, const StudyPlan& plan) {
  nlohmann::ordered_json tasks = nlohmann::ordered_json::array(), phases = nlohmann::ordered_json::array();
  for (size_t i = 0; i < plan.size(); ++i) {
    const auto chain = start_chain(plan, i);
    nlohmann::ordered_json after = nlohmann::ordered_json::array();
    if (chain.size() > 1) after.push_back(chain[chain.size() - 2]);
    tasks.push_back({{"index", i}, {"seed", plan[i].seed}, {"role", plan[i].role}, {"start", plan[i].start},
                     {"phase", plan[i].phase}, {"after", after}});
    if (phases.empty() || phases.back()["phase"] != plan[i].phase)
      phases.push_back({{"phase", plan[i].phase}, {"first", i}, {"last", i}});
    else
      phases.back()["last"] = i;
  }
  return {{"study", study}, {"tasks", tasks}, {"phases", phases}};
}

void write_plan(const fs::path& out, const std::string& study, const StudyPlan& plan, const SlurmOptions& slurm,
                const fs::path& bgm) {
  write_file_atomic(out / "plan.json", plan_json(study, plan).dump(2) + "\n");
  const fs::path dir = fs::absolute(out).lexically_normal();
  fmt::print(stderr, "bgm plan: {} tasks in {}/plan.json\n", plan.size(), out.string());
  if (!slurm.enabled) {
    fmt::print(stderr, "run each with `bgm run-task {} INDEX` (phase by phase: {}), then `bgm report {}`\n", out.string(),
               "0, then 1, then 2", out.string());
    return;
  }
  // #SBATCH lines are split at white space, '#' starts a comment there and '%' is a pattern.
  for (const fs::path& path : {dir, bgm})
    if (path.string().find_first_of(" \t#%\"'\\") != std::string::npos)
      throw input_error(path.string(), "a path with white space, '#', '%', a quote or a backslash",
                        "a path Slurm's #SBATCH lines can hold (plan from another directory)");
  fs::create_directories(out / "slurm" / "logs");
  write_file_atomic(out / "slurm" / "task.sbatch", task_script(dir, slurm, bgm));
  write_file_atomic(out / "slurm" / "report.sbatch", report_script(dir, slurm, bgm));
  write_file_atomic(out / "slurm" / "submit.sh", submit_script(plan, slurm));
  fs::permissions(out / "slurm" / "submit.sh", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  fmt::print(stderr, "submit it with: bash {}/slurm/submit.sh   (extra sbatch options may follow)\n", out.string());
}

}  // namespace bgm
