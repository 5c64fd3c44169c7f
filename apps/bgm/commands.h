#pragma once
// Each subcommand registers its options on the CLI and returns the action to run after parsing.
#include <CLI/CLI.hpp>
#include <functional>

namespace bgm::cli {

using Action = std::function<int()>;

/// `bgm reproduce`: the paper's central study.
void add_reproduce_command(CLI::App& app, Action& action);
/// `bgm ablation` and `bgm rsweep`: the grid studies (Table 2, Figure 4).
void add_grid_commands(CLI::App& app, Action& action);
/// `bgm toy`: the 2-D toy study (Figure 1).
void add_toy_command(CLI::App& app, Action& action);
/// `bgm report DIR`: a study's figures, report.md and report.html, redrawn from its files.
void add_report_command(CLI::App& app, Action& action);
/// `bgm eval`: accuracy and loss of any state_dict on any supported data set.
void add_eval_command(CLI::App& app, Action& action);
/// `bgm resume DIR`: a study's recorded command again, continuing from its checkpoints.
void add_resume_command(CLI::App& app, Action& action);
/// `bgm models`: the model zoo with parameter and state_dict entry counts.
void add_models_command(CLI::App& app, Action& action);
/// `bgm plan STUDY ...` and `bgm run-task DIR INDEX`: a study as tasks (Slurm job arrays).
void add_plan_commands(CLI::App& app, Action& action);
/// `bgm version`: code and library versions as JSON.
void add_version_command(CLI::App& app, Action& action);

}  // namespace bgm::cli
