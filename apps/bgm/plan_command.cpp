// `bgm plan STUDY [options] --out DIR [--slurm ...]` writes a study as tasks, one per run, and
// `bgm run-task DIR INDEX [--world-size N]` makes one of them: how a study runs on a Slurm
// cluster (one array task per run) and, run by hand in phase order, locally too.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <ATen/Parallel.h>
#include <fmt/core.h>

#include "bgm/core/error.h"
#include "bgm/core/invocation.h"
#include "bgm/train/data_parallel.h"
#include "commands.h"
#include "recorded_command.h"

namespace bgm::cli {
namespace {

const std::vector<std::string> kPlannable = {"reproduce", "ablation", "rsweep"};

// `bgm [global options] plan STUDY rest...` runs again as `bgm [global options] STUDY --plan rest...`,
// so the study parses its own options and config.json records the study's command.
int plan(const std::vector<std::string>& rest) {
  if (rest.empty() || std::find(kPlannable.begin(), kPlannable.end(), rest.front()) == kPlannable.end())
    throw input_error("bgm plan STUDY", rest.empty() ? "no study" : "'" + rest.front() + "'",
                      "one of: reproduce, ablation, rsweep");
  auto argv = invocation_json().at("argv").get<std::vector<std::string>>();
  // The global options before `plan` stay; `plan` and what follows become the study's command.
  const auto at = std::find(argv.begin() + 1, argv.end(), std::string("plan"));
  argv.erase(at, argv.end());
  argv.push_back(rest.front());
  argv.push_back("--plan");
  argv.insert(argv.end(), rest.begin() + 1, rest.end());
  exec_self(argv, "");
}

// A TCP port free on this host now, for the local process group's rendezvous.
int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t n = sizeof(a);
  int port = 29500;
  if (s >= 0 && ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n) == 0)
    port = ntohs(a.sin_port);
  if (s >= 0) ::close(s);
  return port;
}

volatile std::sig_atomic_t forwarded_signal = 0;
void remember_signal(int sig) { forwarded_signal = sig; }

// Starts `world` processes of this task on this host, ranks 0..world-1, and waits for them all.
// Each rank has a process group of its own, so a Ctrl-C reaches only this launcher, which passes
// SIGINT/SIGTERM on to every rank once (each saves at the end of its epoch). When a rank fails,
// the others, which would wait for it in their next all-reduce, are killed: their checkpoints
// of the last finished epoch remain. The status is the first failing rank's, else 0.
int launch_local_ranks(const std::vector<std::string>& argv, const std::string& cwd, int world) {
  const std::string port = std::to_string(free_port());
  fmt::print(stderr, "bgm run-task: {} processes on this host (process group at 127.0.0.1:{})\n", world, port);
  struct sigaction action {};
  action.sa_handler = remember_signal;  // no SA_RESTART: waitpid returns to pass the signal on
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  std::vector<pid_t> ranks;
  for (int r = 0; r < world; ++r) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw Error(fmt::format("bgm run-task: cannot start rank {} ({})", r, std::strerror(errno)));
    if (pid == 0) {
      ::setpgid(0, 0);
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGTERM, SIG_DFL);
      ::setenv("RANK", std::to_string(r).c_str(), 1);
      ::setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
      ::setenv("WORLD_SIZE", std::to_string(world).c_str(), 1);
      ::setenv("MASTER_ADDR", "127.0.0.1", 1);
      ::setenv("MASTER_PORT", port.c_str(), 1);
      try {
        exec_self(argv, cwd);
      } catch (const std::exception& e) {
        fmt::print(stderr, "bgm: error: rank {}: {}\n", r, e.what());
      }
      std::_Exit(1);
    }
    ranks.push_back(pid);
  }
  int result = 0;
  std::vector<pid_t> running = ranks;
  bool passed_on = false;
  while (!running.empty()) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno != EINTR) break;
      if (forwarded_signal && !passed_on) {
        for (pid_t p : running) ::kill(p, forwarded_signal);
        passed_on = true;
      }
      continue;
    }
    running.erase(std::remove(running.begin(), running.end(), pid), running.end());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code != 0 && result == 0) {
      result = code;
      const auto rank = std::find(ranks.begin(), ranks.end(), pid) - ranks.begin();
      if (!running.empty())
        fmt::print(stderr, "bgm run-task: rank {} ended with status {}; stopping the other ranks\n", rank, code);
      for (pid_t p : running) ::kill(p, SIGKILL);
    }
  }
  return result;
}

// Removes every --threads option from argv; returns the last one's value ("" when none).
std::string drop_threads(std::vector<std::string>& argv) {
  std::string value;
  for (size_t i = 1; i < argv.size();) {
    const auto at = argv.begin() + static_cast<std::ptrdiff_t>(i);
    if (argv[i] == "--threads" && i + 1 < argv.size()) {
      value = argv[i + 1];
      argv.erase(at, at + 2);
    } else if (argv[i].rfind("--threads=", 0) == 0) {
      value = argv[i].substr(10);
      argv.erase(at);
    } else {
      ++i;
    }
  }
  return value;
}

int run_task(const std::string& dir, int64_t index, int world_size) {
  std::string cwd;
  auto argv = recorded_study_argv(dir, cwd);
  replace_word(argv, "--plan", {"--task", std::to_string(index)}, dir + "/config.json");
  const DistributedEnv env = distributed_env_from_environment();
  if (env.distributed() && world_size > 1 && env.world_size != world_size)
    throw input_error("--world-size", std::to_string(world_size),
                      fmt::format("the world size {} that the environment (RANK/WORLD_SIZE or SLURM_PROCID/"
                                  "SLURM_STEP_NUM_TASKS) gives, or no --world-size",
                                  env.world_size));
  const bool local_group = world_size > 1 && !env.distributed();
  // The plan's thread count (results are bitwise the same only for the same count), unless this
  // run-task was given --threads; local ranks share it. --threads 0 is every core: this
  // process's count, as is run-task's own --threads.
  std::vector<std::string> own = invocation_json().at("argv").get<std::vector<std::string>>();
  const bool threads_given = !drop_threads(own).empty();
  const int planned = std::atoi(drop_threads(argv).c_str());
  const int threads = !threads_given && planned > 0 ? planned : at::get_num_threads();
  argv.push_back("--threads");
  argv.push_back(std::to_string(std::max(1, threads / (local_group ? world_size : 1))));
  if (local_group) return launch_local_ranks(argv, cwd, world_size);
  exec_self(argv, cwd);  // one process, or one rank of a group the environment describes
}

}  // namespace

void add_plan_commands(CLI::App& app, Action& action) {
  auto* plan_cmd = app.add_subcommand(
      "plan", "Write a study as tasks, one per run (plan.json), and with --slurm the sbatch job-array scripts; "
              "STUDY is reproduce, ablation or rsweep, followed by its options (bgm STUDY --help)");
  plan_cmd->prefix_command();
  plan_cmd->fallthrough(false);  // STUDY and its options are the study's, passed on whole
  plan_cmd->callback([plan_cmd, &action] {
    const auto rest = plan_cmd->remaining();
    action = [rest] { return plan(rest); };
  });

  auto dir = std::make_shared<std::string>();
  auto index = std::make_shared<int64_t>(0);
  auto world = std::make_shared<int>(1);
  auto* task = app.add_subcommand("run-task", "Make one run of a planned study (a finished run is skipped, an "
                                              "unfinished one resumes from its checkpoint)");
  task->add_option("DIR", *dir, "the planned study's directory")->required();
  task->add_option("INDEX", *index, "the task's index in DIR/plan.json")->required()->check(CLI::NonNegativeNumber);
  task->add_option("--world-size", *world,
                   "train this run data-parallel over N processes on this host (c10d Gloo); under srun or torchrun "
                   "the environment's RANK/WORLD_SIZE (or SLURM_PROCID/SLURM_STEP_NUM_TASKS) are used instead")
      ->check(CLI::Range(1, 1024));
  task->callback([dir, index, world, &action] { action = [dir, index, world] { return run_task(*dir, *index, *world); }; });
}

}  // namespace bgm::cli
