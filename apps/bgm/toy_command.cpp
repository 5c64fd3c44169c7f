// `bgm toy`: the 2-D toy study of Figure 1.
#include <ctime>
#include <iostream>
#include <memory>

#include "bgm/core/error.h"
#include "bgm/core/number_lists.h"
#include "bgm/study/grid_config.h"
#include "bgm/study/toy.h"
#include "commands.h"
#include "common_flags.h"

namespace bgm::cli {

void add_toy_command(CLI::App& app, Action& action) {
  auto config = std::make_shared<ToyConfig>();
  auto* cmd = app.add_subcommand("toy", "Figure 1: the 2-D toy study's four decision boundaries and margins");
  auto out = std::make_shared<std::string>();
  auto& c = *config;
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  auto preset = std::make_shared<std::string>("paper");
  auto seeds = std::make_shared<std::string>();
  auto seed = std::make_shared<uint64_t>(0);
  cmd->add_option("--preset", *preset, "paper (default) or cpu: the same settings, the study is CPU-sized as it is");
  cmd->add_option("--out", *out, "output directory (default: runs/toy-seedS-TIME)");
  cmd->add_option("--seed", *seed, "seed of the data, labels, init and data order");
  cmd->add_option("--seeds", *seeds, "run the study once per seed: a list and/or ranges, e.g. 1-5 or 0,3,7");
  cmd->add_option("--lr", c.lr, "SGD learning rate")->capture_default_str();
  cmd->add_option("--batch-size", c.batch_size, "mini-batch size")->capture_default_str();
  cmd->add_option("--max-epochs", c.max_epochs, "epoch cap per setting")->capture_default_str();
  cmd->add_option("--noisy-copies", c.noisy_copies, "setting 4: noisy copies per point")->capture_default_str();
  cmd->add_option("--noise-std", c.noise_std, "setting 4: noise per coordinate")->capture_default_str();
  cmd->add_option("--weight-decay", c.weight_decay, "setting 4: l2 weight decay")->capture_default_str();
  cmd->add_option("--momentum", c.momentum, "setting 4: momentum")->capture_default_str();
  cmd->add_option("--picture-size", c.picture_size, "pixels per panel side")->capture_default_str();
  cmd->callback([config, out, preset, seeds, seed, cmd, &action] {
    action = [config, out, preset, seeds, seed, cmd] {
      // Both presets hold the defaults the flags above start from, so the flags apply directly.
      ToyConfig c = *config;
      c.preset = toy_preset(*preset).preset;
      if (given(*cmd, "--seed") && given(*cmd, "--seeds"))
        throw input_error("--seed", "given with --seeds", "one of them (--seeds 3 is --seed 3)");
      c.seeds = given(*cmd, "--seeds") ? parse_seed_list(*seeds, "--seeds") : std::vector<uint64_t>{*seed};
      char stamp[32];
      std::time_t now = std::time(nullptr);
      std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", std::localtime(&now));
      const std::string which = c.seeds.size() == 1 ? "seed" + std::to_string(c.seeds.front()) : "seeds";
      c.out = out->empty() ? "runs/toy-" + which + "-" + stamp : *out;
      auto summary = run_toy_study(c);
      std::cout << (summary.contains("stats") ? summary["stats"] : summary["settings"]).dump(2) << "\nResults in " << c.out.string() << "\n";
      return 0;
    };
  });
}

}  // namespace bgm::cli
