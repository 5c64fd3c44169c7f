// `bgm ablation` (Table 2) and `bgm rsweep` (Figure 4): one set of flags, two presets each.
#include <fmt/core.h>

#include <iostream>
#include <memory>
#include <sstream>

#include "bgm/core/interrupt.h"
#include "bgm/core/number_lists.h"
#include "bgm/report/grid_report.h"
#include "bgm/study/grid_study.h"
#include "bgm/train/lr_schedule.h"
#include "commands.h"
#include "common_flags.h"

namespace bgm::cli {
namespace {

struct GridFlags : CommonFlags {
  std::string preset = "cpu", store, seeds, replicas, modes, schedule, adv_schedule;
  int epochs = 0, adv_epochs = 0, adv_check_every = 1;
  double adv_target = 0;
};

std::vector<std::string> split_modes(const std::string& text) {
  std::vector<std::string> modes;
  std::stringstream ss(text);
  for (std::string m; std::getline(ss, m, ',');) modes.push_back(m);
  return modes;
}

GridConfig resolve(const std::string& study, const GridFlags& f, const CLI::App& cmd) {
  auto has = [&cmd](const char* name) { return given(cmd, name); };
  GridConfig c = grid_preset(study, f.preset);
  if (has("--data")) c.data_dir = f.data;
  if (has("--model")) c.model.name = f.model;
  if (has("--width")) c.model.width = f.width;
  if (has("--resize")) c.resize = f.resize;
  if (has("--train-subset")) c.train_subset = f.train_subset;
  if (has("--test-subset")) c.test_subset = f.test_subset;
  if (has("--seeds")) c.seeds = parse_seed_list(f.seeds, "--seeds");
  if (has("--replicas")) c.replicas = parse_int_list(f.replicas, "--replicas");
  if (has("--zero-out")) c.zero_out = f.zero_out;
  if (has("--modes")) c.modes = split_modes(f.modes);
  if (has("--lr")) c.schedule.base_lr = c.adversarial_sgd.schedule.base_lr = f.lr;
  if (has("--epochs")) {
    c.train_stop.max_epochs = f.epochs;
    c.protocol_epochs = false;
    // A cosine schedule spans the run unless given explicitly.
    if (c.schedule.kind == LrSchedule::Kind::kCosine) c.schedule.cosine_epochs = f.epochs;
  }
  if (has("--schedule")) {
    c.schedule = parse_schedule(f.schedule, c.schedule.base_lr, "--schedule");
    c.protocol_schedule = false;
  }
  if (has("--adv-epochs")) c.adversarial_stop.max_epochs = f.adv_epochs;
  if (has("--adv-target")) c.adversarial_stop.target_train_acc = f.adv_target;
  if (has("--adv-check-every")) c.adversarial_stop.check_every = f.adv_check_every;
  if (has("--adv-schedule"))
    c.adversarial_sgd.schedule = parse_schedule(f.adv_schedule, c.adversarial_sgd.schedule.base_lr, "--adv-schedule");
  if (has("--weight-decay")) {
    c.weight_decay = f.weight_decay;
    c.protocol_weight_decay = false;
  }
  if (has("--momentum")) c.momentum = f.momentum;
  if (has("--batch-size")) c.batch_size = f.batch_size;
  if (has("--drop-last")) c.drop_last = f.drop_last;
  c.compute = resolve_compute(f, cmd, c.precision);
  c.measures = resolve_measures(f);
  c.out = has("--out") ? std::filesystem::path(f.out) : std::filesystem::path("runs") / (study + "-" + c.preset);
  c.store = has("--store") ? std::filesystem::path(f.store) : std::filesystem::path("runs") / "store";
  return c;
}

void add_grid_command(CLI::App& app, Action& action, const std::string& study, const std::string& help) {
  auto flags = std::make_shared<GridFlags>();
  auto* cmd = app.add_subcommand(study, help);
  auto& f = *flags;
  add_common_flags(*cmd, f);
  cmd->add_option("--preset", f.preset, "cpu (CPU-sized, the default) or paper (the paper's settings)");
  cmd->add_option("--store", f.store, "run directories, shared between studies (default: runs/store)");
  cmd->add_option("--seeds", f.seeds, "seeds: a list and/or ranges, e.g. 1-5 or 0,3,7 (each cell over all of them)");
  cmd->add_option("--replicas", f.replicas,
                  study == "rsweep" ? "the R values to sweep, e.g. 1,2,4,8" : "Algorithm 1: R, noisy copies per training image");
  cmd->add_option("--modes", f.modes, "comma-separated modes: vanilla, da, l2, momentum, da+l2, da+momentum, l2+momentum, sota");
  cmd->add_option("--epochs", f.epochs, "epochs of every true-label run")->check(CLI::Range(1, 100000));
  cmd->add_option("--schedule", f.schedule, "lr schedule of the true-label runs: constant, multistep:E1,E2 or cosine:E");
  cmd->add_option("--adv-epochs", f.adv_epochs, "adversarial pre-training: epoch cap")->check(CLI::Range(1, 100000));
  cmd->add_option("--adv-target", f.adv_target, "adversarial pre-training: target random-label train accuracy, %")
      ->check(CLI::Range(-1.0, 100.0));
  cmd->add_option("--adv-check-every", f.adv_check_every, "adversarial pre-training: test the target every K epochs")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--adv-schedule", f.adv_schedule, "adversarial lr schedule");
  cmd->callback([flags, cmd, study, &action] {
    action = [flags, cmd, study] {
      GridConfig config = resolve(study, *flags, *cmd);
      config.exec = resolve_execution(*flags, *cmd);
      place_rank(config.compute);
      adopt_planned_precision(config.exec, config.compute, config.out);
      install_stop_handlers();  // SIGINT/SIGTERM: save the run in progress, then stop
      auto summary = run_grid_study(config);
      if (summary.is_null()) return print_execution_done(config.exec), 0;
      std::cout << "\n" << grid_tables_markdown(summary) << "\nResults in " << config.out.string() << "\n";
      return 0;
    };
  });
}

}  // namespace

void add_grid_commands(CLI::App& app, Action& action) {
  add_grid_command(app, action, "ablation",
                   "Table 2: every training mode from the random and the adversarial initialization");
  add_grid_command(app, action, "rsweep",
                   "Figure 4: vanilla and SOTA SGD from the adversarial initialization of each R");
}

}  // namespace bgm::cli
