#pragma once
// The flags every study command shares (data, model, numerics, SGD basics), declared once so
// they read the same everywhere. A study's preset supplies the defaults; only flags actually
// given override it (`given`).
#include <CLI/CLI.hpp>
#include <string>

#include "bgm/core/compute.h"
#include "bgm/study/run_measures.h"
#include "bgm/study/study_plan.h"

namespace bgm::cli {

struct CommonFlags {
  std::string data, out, model = "resnet18", device = "cpu", precision;
  int64_t width = 0, train_subset = 0, test_subset = 0, batch_size = 128;
  double zero_out = 0.1, lr = 0.1, weight_decay = 0, momentum = 0;
  bool drop_last = true, channels_last = true, resize = false;
  // Measurements of every model (run_measures.h).
  bool measures = true;
  std::vector<int> fgsm_eps = {0, 1, 2, 4, 8};
  int64_t hessian_images = 256;
  int hessian_iterations = 20;
  int path_points = 11;
  // How the command runs (study_plan.h): --plan with its --slurm options, and the internal
  // --task / --assemble that `bgm run-task` and `bgm report` add to a planned study's command.
  bool plan = false, assemble = false, run_all = false;
  int64_t task = -1;
  SlurmOptions slurm;
};

/// Registers the shared flags on a study subcommand (last occurrence of a flag wins).
void add_common_flags(CLI::App& cmd, CommonFlags& f);

/// Accepts a number > 0 (a learning rate); refuses with "got V, expected a number > 0".
CLI::Validator positive_number();

/// How the study runs: everything (default), --plan, --task I or --assemble. Slurm options
/// without --plan are refused. A task joins its data-parallel process group here when the
/// environment names one (RANK/WORLD_SIZE or SLURM_PROCID/SLURM_STEP_NUM_TASKS).
StudyExecution resolve_execution(const CommonFlags& f, const CLI::App& cmd);

/// In a data-parallel group on CUDA, `--device cuda` (no index) becomes this rank's own GPU.
void place_rank(Compute& compute);

/// A task or the report of a planned study computes in the precision the plan resolved
/// (`auto` on the planning host), whatever this node's CPU would choose: the same runs.
void adopt_planned_precision(const StudyExecution& exec, Compute& compute, const std::filesystem::path& out);

/// Prints what the study's command did in a mode that writes no summary (plan, task).
void print_execution_done(const StudyExecution& exec);

/// Whether the flag was given on the command line.
bool given(const CLI::App& cmd, const char* name);

/// The measurement settings from the flags (every flag's default is MeasureConfig's).
MeasureConfig resolve_measures(const CommonFlags& f);

/// Device, precision (the preset's unless --precision) and channels-last from the flags.
Compute resolve_compute(const CommonFlags& f, const CLI::App& cmd, std::string& precision);

}  // namespace bgm::cli
