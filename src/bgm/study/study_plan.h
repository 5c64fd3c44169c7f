#pragma once
// A study as a list of tasks, one per run: what `bgm plan` writes into plan.json and what
// `bgm run-task DIR INDEX` makes one of. A study run in one process goes through the same list
// (run_tasks below), so a local study and one spread over a Slurm job array make the same runs
// with the same code, and `bgm report DIR` assembles either from the store alike.
//
// Tasks come in phases: 0 is W0R, 1 every run that starts from W0R (W0A included), 2 every run
// that starts from a W0A. A phase only needs the phases before it, so a scheduler can run each
// phase's tasks in any order and in parallel.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bgm/study/run_maker.h"
#include "bgm/study/run_outcomes.h"

namespace bgm {

struct StudyTask {
  uint64_t seed = 0;
  std::string role;   ///< the study's name for the run: "WVA" (reproduce), "vanilla-from-W0A-R4" (grids)
  std::string start;  ///< the role it starts from; empty for W0R
  int phase = 0;      ///< 0: W0R, 1: starts from W0R, 2: starts from a W0A
};

/// The task making `role` from `start` (empty for W0R), its phase from its start.
StudyTask study_task(uint64_t seed, const std::string& role, const std::string& start);

/// The tasks in the order they run: by phase, then as the study listed them (stable).
using StudyPlan = std::vector<StudyTask>;
StudyPlan order_by_phase(StudyPlan tasks);

/// How the study's command runs this time (not part of the study's configuration).
struct SlurmOptions {
  bool enabled = false;      ///< --slurm: write the sbatch job-array scripts too
  std::string time_limit = "2-00:00:00";  ///< --slurm-time, per task (sbatch --time)
  int throttle = 0;          ///< --slurm-throttle K: at most K tasks of an array at once (0: no limit)
  std::string partition;     ///< --slurm-partition (empty: the cluster's default)
  int cpus_per_task = 0;     ///< --slurm-cpus (0: the cluster's default); also bgm's --threads
  int gpus_per_task = 0;     ///< --slurm-gpus
  bool requeue = true;       ///< --slurm-requeue: requeue a preempted task (it resumes)
  std::string extra;         ///< --slurm-extra: more #SBATCH lines' options, ';'-separated
  void validate() const;
};

struct StudyExecution {
  enum class Mode {
    kAll,       ///< make every task in order, then write the summary and report (the default)
    kPlan,      ///< write config.json and plan.json (and the Slurm scripts), make nothing
    kTask,      ///< make task `task`, its starts found finished in the store
    kAssemble,  ///< make nothing: every run found finished (or failed), then summary and report
  } mode = Mode::kAll;
  int64_t task = -1;
  SlurmOptions slurm;
  bool planned = false;  ///< kAll of a planned study (bgm resume): its config.json stays the plan's

  /// Whether this execution writes the study's config.json (a plan's tasks and report keep it).
  bool writes_config() const { return mode == Mode::kPlan || (mode == Mode::kAll && !planned); }
};

/// Makes one task's run with the study's settings (a RunMaker call); returns its run id.
using MakeTask = std::function<std::string(const StudyTask& task, RunMaker& maker, const RunOutcomes& seed_runs)>;
/// The maker for a seed's runs.
using MakerFor = std::function<std::unique_ptr<RunMaker>(uint64_t seed)>;

/// Runs `plan` as `exec` asks, recording every attempted run in the returned outcomes by
/// "seedS". kTask makes only task exec.task (its start chain must be finished, else
/// RunNotFinished names the task to run first); kAssemble makes nothing and throws
/// RunNotFinished naming every unfinished task. kPlan does nothing.
std::map<std::string, RunOutcomes> run_tasks(const StudyPlan& plan, const StudyExecution& exec, const MakerFor& maker_for,
                                             const MakeTask& make, const std::filesystem::path& out);

/// plan.json: {"study": name, "tasks": [{"index", "seed", "role", "start", "phase", "after"}],
/// "phases": [{"phase", "first", "last"}]}; "after" lists the indexes of the tasks it starts from.
nlohmann::ordered_json plan_json(const std::string& study, const StudyPlan& plan);

/// Writes out/plan.json and, with slurm.enabled, out/slurm/task.sbatch (one array task per run:
/// `bgm run-task OUT $SLURM_ARRAY_TASK_ID`), out/slurm/report.sbatch and out/slurm/submit.sh,
/// which submits one array per phase, each after the one before (--dependency=afterok), and
/// the report last. `bgm` is the path of this program. Prints how to run it.
void write_plan(const std::filesystem::path& out, const std::string& study, const StudyPlan& plan,
                const SlurmOptions& slurm, const std::filesystem::path& bgm);

}  // namespace bgm
