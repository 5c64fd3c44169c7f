#include <fmt/core.h>

#include <ctime>
#include <iostream>
#include <memory>
#include <tuple>

#include "bgm/report/reproduce_report.h"
#include "bgm/study/reproduce.h"
#include "commands.h"

namespace bgm::cli {
namespace {

// Flags as given; a preset supplies every default and only the flags actually passed override it.
struct ReproduceFlags {
  std::string preset = "quick", data, out, model = "resnet18", device = "cpu", precision;
  int64_t width = 0, train_subset = 0, test_subset = 0, batch_size = 128;
  uint64_t seed = 0;
  int replicas = 1, adv_epochs = 0, adv_check_every = 1, vanilla_epochs = 0, sota_epochs = 0;
  double zero_out = 0.1, adv_target = 0, vanilla_target = 0, lr = 0.1, weight_decay = 0, momentum = 0;
  std::string adv_schedule, vanilla_schedule, sota_schedule;
  bool drop_last = true, channels_last = true;
};

std::string default_out(const ReproduceConfig& c) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", std::localtime(&now));
  return fmt::format("runs/reproduce-{}-seed{}-{}", c.preset, c.seed, stamp);
}

ReproduceConfig resolve(const ReproduceFlags& f, CLI::App& cmd) {
  auto given = [&cmd](const char* name) { return cmd.get_option(name)->count() > 0; };
  ReproduceConfig c = preset_config(f.preset);
  if (given("--data")) c.data_dir = f.data;
  if (given("--model")) c.model.name = f.model;
  if (given("--width")) c.model.width = f.width;
  if (given("--train-subset")) c.train_subset = f.train_subset;
  if (given("--test-subset")) c.test_subset = f.test_subset;
  c.seed = f.seed;
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
  if (given("--adv-schedule")) c.adversarial_sgd.schedule = parse_schedule(f.adv_schedule, c.adversarial_sgd.schedule.base_lr, "--adv-schedule");
  if (given("--vanilla-schedule")) c.vanilla.schedule = parse_schedule(f.vanilla_schedule, c.vanilla.schedule.base_lr, "--vanilla-schedule");
  if (given("--sota-schedule")) c.sota.schedule = parse_schedule(f.sota_schedule, c.sota.schedule.base_lr, "--sota-schedule");
  // A preset's cosine schedule spans its run: stretch it with --sota-epochs unless given.
  for (auto [sgd, stop, flag] : {std::tuple{&c.adversarial_sgd, &c.adversarial_stop, "--adv-schedule"},
                                 std::tuple{&c.vanilla, &c.vanilla_stop, "--vanilla-schedule"},
                                 std::tuple{&c.sota, &c.sota_stop, "--sota-schedule"}})
    if (sgd->schedule.kind == LrSchedule::Kind::kCosine && !given(flag))
      sgd->schedule.cosine_epochs = stop->max_epochs;
  if (given("--weight-decay")) c.sota.weight_decay = f.weight_decay;
  if (given("--momentum")) c.sota.momentum = f.momentum;
  c.compute.device = parse_device(f.device);
  if (given("--precision")) c.precision = f.precision;
  c.compute.precision = parse_precision(c.precision, c.compute.device);
  c.compute.channels_last = f.channels_last;
  c.out = given("--out") ? std::filesystem::path(f.out) : std::filesystem::path(default_out(c));
  return c;
}

}  // namespace

void add_reproduce_command(CLI::App& app, Action& action) {
  auto flags = std::make_shared<ReproduceFlags>();
  auto* cmd = app.add_subcommand(
      "reproduce", "Run the paper's study: W0R, W0A, then vanilla/SOTA SGD from each (Table 1)");
  auto& f = *flags;
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // last one wins
  cmd->add_option("--preset", f.preset, "quick (CPU-sized, the default) or paper (the paper's settings)");
  cmd->add_option("--data", f.data, "data directory (default: the embedded CIFAR-10 subset)");
  cmd->add_option("--out", f.out, "output directory (default: runs/reproduce-PRESET-seedS-TIME)");
  cmd->add_option("--model", f.model, "model: resnet18, resnet50, vgg16 or densenet40");
  cmd->add_option("--width", f.width, "model width, 64 = the paper's (ResNet/VGG first-stage channels; DenseNet growth 12*W/64)")
      ->check(CLI::Range(int64_t{1}, int64_t{4096}));
  cmd->add_option("--train-subset", f.train_subset, "seeded class-balanced subset of N training images (0 = all)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--test-subset", f.test_subset, "same for the test set")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", f.seed, "seed of every random stream (init, data order, augmentation, Algorithm 1)");
  cmd->add_option("--replicas", f.replicas, "Algorithm 1: R, noisy copies per training image")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--zero-out", f.zero_out, "Algorithm 1: fraction of the 3072 entries set to 0 per copy")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--adv-epochs", f.adv_epochs, "adversarial pre-training: epoch cap")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--adv-target", f.adv_target, "adversarial pre-training: target random-label train accuracy, %")
      ->check(CLI::Range(-1.0, 100.0));
  cmd->add_option("--adv-check-every", f.adv_check_every, "adversarial pre-training: evaluate every K epochs")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--adv-schedule", f.adv_schedule, "adversarial lr schedule: constant, multistep:E1,E2 or cosine:E");
  cmd->add_option("--vanilla-epochs", f.vanilla_epochs, "vanilla SGD: epoch cap")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--vanilla-target", f.vanilla_target, "vanilla SGD: stop at this train accuracy, % (-1 = fixed epochs)")
      ->check(CLI::Range(-1.0, 100.0));
  cmd->add_option("--vanilla-schedule", f.vanilla_schedule, "vanilla lr schedule");
  cmd->add_option("--sota-epochs", f.sota_epochs, "SOTA SGD: number of epochs")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--sota-schedule", f.sota_schedule, "SOTA lr schedule");
  cmd->add_option("--lr", f.lr, "initial learning rate of every run")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--weight-decay", f.weight_decay, "SOTA SGD: l2 weight decay")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--momentum", f.momentum, "SOTA SGD: momentum")
      ->check(CLI::Range(0.0, 0.999999));
  cmd->add_option("--batch-size", f.batch_size, "mini-batch size")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_option("--drop-last", f.drop_last, "drop each epoch's incomplete last batch (true/false)");
  cmd->add_option("--device", f.device, "cpu or cuda[:N]");
  cmd->add_option("--precision", f.precision, "fp32, bf16 (autocast; weights stay fp32) or auto (bf16 where the hardware has it)");
  cmd->add_option("--channels-last", f.channels_last, "channels-last activations (true/false)");
  cmd->callback([flags, cmd, &action] {
    action = [flags, cmd] {
      ReproduceConfig config = resolve(*flags, *cmd);
      auto summary = run_reproduce(config);
      std::cout << "\n" << reproduce_tables_markdown(nlohmann::json(summary)) << "\nResults in " << config.out.string() << "\n";
      return 0;
    };
  });
}

}  // namespace bgm::cli
