#include <fmt/core.h>

#include <ctime>
#include <iostream>
#include <memory>
#include <tuple>

#include "bgm/core/error.h"
#include "bgm/core/interrupt.h"
#include "bgm/core/number_lists.h"
#include "bgm/report/reproduce_report.h"
#include "bgm/study/grid_config.h"
#include "bgm/study/reproduce.h"
#include "commands.h"
#include "common_flags.h"

namespace bgm::cli {
namespace {

// Flags as given; a preset supplies every default and only the flags actually passed override it.
struct ReproduceFlags : CommonFlags {
  std::string preset = "quick", seeds, store, init_from;
  uint64_t seed = 0;
  int replicas = 1, adv_epochs = 0, adv_check_every = 1, vanilla_epochs = 0, sota_epochs = 0;
  double adv_target = 0, vanilla_target = 0, adv_lr = 0, vanilla_lr = 0, sota_lr = 0;
  std::string adv_schedule, vanilla_schedule, sota_schedule;
};

std::string default_out(const ReproduceConfig& c) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", std::localtime(&now));
  const std::string seeds = c.seeds.size() == 1 ? "seed" + std::to_string(c.seeds.front()) : "seeds";
  return fmt::format("runs/reproduce-{}-{}-{}", c.preset, seeds, stamp);
}

ReproduceConfig resolve(const ReproduceFlags& f, CLI::App& cmd) {
  auto given = [&cmd](const char* name) { return cli::given(cmd, name); };
  ReproduceConfig c = preset_config(f.preset);
  if (given("--data")) c.data_dir = f.data;
  if (given("--model")) c.model.name = f.model;
  if (given("--width")) c.model.width = f.width;
  if (given("--resize")) c.resize = f.resize;
  if (given("--train-subset")) c.train_subset = f.train_subset;
  if (given("--test-subset")) c.test_subset = f.test_subset;
  if (given("--seed") && given("--seeds"))
    throw input_error("--seed", "given with --seeds", "one of them (--seeds 3 is --seed 3)");
  c.seeds = given("--seeds") ? parse_seed_list(f.seeds, "--seeds") : std::vector<uint64_t>{f.seed};
  if (given("--init-from")) c.init_from = f.init_from;
  if (given("--replicas")) c.replicas = f.replicas;
  if (given("--zero-out")) c.zero_out = f.zero_out;
  if (given("--adv-epochs")) c.adversarial_stop.max_epochs = f.adv_epochs;
  if (given("--adv-target")) c.adversarial_stop.target_train_acc = f.adv_target;
  if (given("--adv-check-every")) c.adversarial_stop.check_every = f.adv_check_every;
  if (given("--vanilla-epochs")) c.vanilla_stop.max_epochs = f.vanilla_epochs;
  if (given("--vanilla-target")) c.vanilla_stop.target_train_acc = f.vanilla_target;
  if (given("--sota-epochs")) c.sota_stop.max_epochs = f.sota_epochs;
  for (SgdSettings* s : {&c.adversarial_sgd, &c.vanilla, &c.sota}) {
    if (given("--lr")) s->schedule.base_lr = f.lr;
    if (given("--batch-size")) s->batch_size = f.batch_size;
    if (given("--drop-last")) s->drop_last = f.drop_last;
  }
  // One phase's lr overrides --lr (its schedule below scales from it).
  if (given("--adv-lr")) c.adversarial_sgd.schedule.base_lr = f.adv_lr;
  if (given("--vanilla-lr")) c.vanilla.schedule.base_lr = f.vanilla_lr;
  if (given("--sota-lr")) c.sota.schedule.base_lr = f.sota_lr;
  if (given("--adv-schedule")) c.adversarial_sgd.schedule = parse_schedule(f.adv_schedule, c.adversarial_sgd.schedule.base_lr, "--adv-schedule");
  if (given("--vanilla-schedule")) c.vanilla.schedule = parse_schedule(f.vanilla_schedule, c.vanilla.schedule.base_lr, "--vanilla-schedule");
  if (given("--sota-schedule")) c.sota.schedule = parse_schedule(f.sota_schedule, c.sota.schedule.base_lr, "--sota-schedule");
  // A preset's cosine schedule spans its run: stretch it with --sota-epochs unless given.
  for (auto [sgd, stop, flag] : {std::tuple{&c.adversarial_sgd, &c.adversarial_stop, "--adv-schedule"},
                                 std::tuple{&c.vanilla, &c.vanilla_stop, "--vanilla-schedule"},
                                 std::tuple{&c.sota, &c.sota_stop, "--sota-schedule"}})
    if (sgd->schedule.kind == LrSchedule::Kind::kCosine && !given(flag))
      sgd->schedule.cosine_epochs = stop->max_epochs;
  if (given("--weight-decay")) {
    c.sota.weight_decay = f.weight_decay;
    c.protocol_weight_decay = false;
  }
  if (given("--momentum")) c.sota.momentum = f.momentum;
  if (given("--vanilla-epochs") || given("--sota-epochs")) c.protocol_epochs = false;
  if (given("--vanilla-schedule") || given("--sota-schedule")) c.protocol_schedule = false;
  c.compute = resolve_compute(f, cmd, c.precision);
  c.measures = resolve_measures(f);
  c.out = given("--out") ? std::filesystem::path(f.out) : std::filesystem::path(default_out(c));
  c.store = given("--store") ? std::filesystem::path(f.store) : std::filesystem::path("runs") / "store";
  return c;
}

}  // namespace

void add_reproduce_command(CLI::App& app, Action& action) {
  auto flags = std::make_shared<ReproduceFlags>();
  auto* cmd = app.add_subcommand(
      "reproduce", "Run the paper's study: W0R, W0A, then vanilla/SOTA SGD from each (Table 1)");
  auto& f = *flags;
  add_common_flags(*cmd, f);
  cmd->add_option("--preset", f.preset, "quick (CPU-sized, the default; also called cpu) or paper (the paper's settings)");
  cmd->add_option("--seed", f.seed, "seed of every random stream (init, data order, augmentation, Algorithm 1)");
  cmd->add_option("--seeds", f.seeds, "run the study once per seed: a list and/or ranges, e.g. 1-5 or 0,3,7");
  cmd->add_option("--store", f.store, "run directories, shared between studies (default: runs/store)");
  cmd->add_option("--init-from", f.init_from, "W0R from this state_dict (bgm's weights or Python's torch.save(model.state_dict()))")
      ->check(CLI::ExistingFile);
  cmd->add_option("--replicas", f.replicas, "Algorithm 1: R, noisy copies per training image")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--adv-epochs", f.adv_epochs, "adversarial pre-training: epoch cap")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--adv-target", f.adv_target, "adversarial pre-training: target random-label train accuracy, %")
      ->check(CLI::Range(-1.0, 100.0));
  cmd->add_option("--adv-check-every", f.adv_check_every, "adversarial pre-training: evaluate every K epochs")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--adv-lr", f.adv_lr, "adversarial pre-training: initial lr (default: --lr)")->check(positive_number());
  cmd->add_option("--vanilla-lr", f.vanilla_lr, "vanilla SGD: initial lr (default: --lr)")->check(positive_number());
  cmd->add_option("--sota-lr", f.sota_lr, "SOTA SGD: initial lr (default: --lr)")->check(positive_number());
  cmd->add_option("--adv-schedule", f.adv_schedule, "adversarial lr schedule: constant, multistep:E1,E2 or cosine:E");
  cmd->add_option("--vanilla-epochs", f.vanilla_epochs, "vanilla SGD: epoch cap")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--vanilla-target", f.vanilla_target, "vanilla SGD: stop at this train accuracy, % (-1 = fixed epochs)")
      ->check(CLI::Range(-1.0, 100.0));
  cmd->add_option("--vanilla-schedule", f.vanilla_schedule, "vanilla lr schedule");
  cmd->add_option("--sota-epochs", f.sota_epochs, "SOTA SGD: number of epochs")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--sota-schedule", f.sota_schedule, "SOTA lr schedule");
  cmd->callback([flags, cmd, &action] {
    action = [flags, cmd] {
      ReproduceConfig config = resolve(*flags, *cmd);
      config.exec = resolve_execution(*flags, *cmd);
      place_rank(config.compute);
      adopt_planned_precision(config.exec, config.compute, config.out);
      install_stop_handlers();  // SIGINT/SIGTERM: save the run in progress, then stop
      auto summary = run_reproduce(config);
      if (summary.is_null()) return print_execution_done(config.exec), 0;
      std::cout << "\n" << reproduce_tables_markdown(nlohmann::json(summary)) << "\nResults in " << config.out.string() << "\n";
      return 0;
    };
  });
}

}  // namespace bgm::cli
