#include "common_flags.h"

#include <fmt/core.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/train/data_parallel.h"

namespace bgm::cli {

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& v) {
        double x = 0;
        return CLI::detail::lexical_cast(v, x) && x > 0 ? std::string() : "got " + v + ", expected a number > 0";
      },
      "POSITIVE");
}

void add_common_flags(CLI::App& cmd, CommonFlags& f) {
  cmd.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd.add_option("--data", f.data, "data directory (default: the embedded CIFAR-10 subset)");
  cmd.add_option("--out", f.out, "output directory");
  cmd.add_option("--model", f.model, "model: resnet18, resnet50, vgg16 or densenet40");
  cmd.add_option("--width", f.width, "model width, 64 = the paper's (ResNet/VGG first-stage channels; DenseNet growth 12*W/64)")
      ->check(CLI::Range(int64_t{1}, int64_t{4096}));
  cmd.add_flag("--resize", f.resize, "image folders: area-average images of other sizes to 32x32 (else they are refused)");
  cmd.add_option("--train-subset", f.train_subset, "seeded class-balanced subset of N training images (0 = all)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--test-subset", f.test_subset, "same for the test set")->check(CLI::NonNegativeNumber);
  cmd.add_option("--zero-out", f.zero_out, "Algorithm 1: fraction of the 3072 entries set to 0 per copy")
      ->check(CLI::Range(0.0, 1.0));
  cmd.add_option("--lr", f.lr, "initial learning rate of every run")->check(positive_number());
  cmd.add_option("--weight-decay", f.weight_decay, "l2 weight decay (default: the data set's, PAPER.md)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--momentum", f.momentum, "momentum of the momentum modes")->check(CLI::Range(0.0, 0.999999));
  cmd.add_option("--batch-size", f.batch_size, "mini-batch size")->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd.add_option("--drop-last", f.drop_last, "drop each epoch's incomplete last batch (true/false)");
  cmd.add_option("--device", f.device, "cpu or cuda[:N]");
  cmd.add_option("--precision", f.precision, "fp32, bf16 (autocast; weights stay fp32) or auto (bf16 where the hardware has it)");
  cmd.add_option("--channels-last", f.channels_last, "channels-last activations (true/false)");
  cmd.add_option("--measures", f.measures, "measure every model: norms, spectral norms, Hessian, FGSM (true/false)");
  cmd.add_option("--fgsm-eps", f.fgsm_eps, "FGSM epsilons in 1/255 units, e.g. 0,1,2,4,8")
      ->delimiter(',')
      ->check(CLI::Range(0, 255));
  cmd.add_option("--hessian-images", f.hessian_images, "training images of the Hessian's loss (0 = no Hessian)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--hessian-iterations", f.hessian_iterations, "power iterations for the top Hessian eigenvalue")
      ->check(CLI::Range(1, 10000));
  cmd.add_option("--path-points", f.path_points, "reproduce: points on the lines W0R->WVR and W0A->WVA (0 = none)")
      ->check(CLI::Range(0, 1001));
  const char* planning = "Planning (bgm plan STUDY ...)";
  cmd.add_flag("--plan", f.plan, "write config.json and plan.json (one task per run) and train nothing")->group(planning);
  cmd.add_flag("--slurm", f.slurm.enabled, "with --plan: also write slurm/task.sbatch, report.sbatch and submit.sh")->group(planning);
  cmd.add_option("--slurm-time", f.slurm.time_limit, "time limit of each task (sbatch --time), e.g. 2-00:00:00")->group(planning);
  cmd.add_option("--slurm-throttle", f.slurm.throttle, "at most K tasks of an array at once (the %K of --array; 0: no limit)")
      ->group(planning);
  cmd.add_option("--slurm-partition", f.slurm.partition, "partition of every job")->group(planning);
  cmd.add_option("--slurm-cpus", f.slurm.cpus_per_task, "cores per task (also bgm's --threads)")->group(planning);
  cmd.add_option("--slurm-gpus", f.slurm.gpus_per_task, "GPUs per task (add --device cuda to the study's options)")->group(planning);
  cmd.add_option("--slurm-requeue", f.slurm.requeue, "requeue a preempted task, which then resumes (true/false; default true)")
      ->group(planning);
  cmd.add_option("--slurm-extra", f.slurm.extra, "more sbatch options for every job, ';'-separated, e.g. '--account=X;--qos=Y'")
      ->group(planning);
  // Added by bgm run-task and bgm report to a planned study's recorded command.
  cmd.add_option("--task", f.task, "")->group("");
  cmd.add_flag("--assemble", f.assemble, "")->group("");
  cmd.add_flag("--run-all", f.run_all, "")->group("");  // bgm resume of a planned study
}

namespace {
bool is_cuda(const CommonFlags& f) { return f.device.rfind("cuda", 0) == 0; }
}  // namespace

StudyExecution resolve_execution(const CommonFlags& f, const CLI::App& cmd) {
  StudyExecution e;
  e.slurm = f.slurm;
  // run-task, report and resume run the planned command again, --slurm options included.
  const bool planned_command = given(cmd, "--task") || f.assemble || f.run_all;
  for (const char* name : {"--slurm", "--slurm-time", "--slurm-throttle", "--slurm-partition", "--slurm-cpus", "--slurm-gpus",
                           "--slurm-requeue", "--slurm-extra"}) {
    if (!given(cmd, name)) continue;
    if (!f.plan && !planned_command)
      throw input_error(name, "given without --plan", "planning options only with bgm plan STUDY ... (or --plan)");
    if (f.plan && !f.slurm.enabled)  // --slurm itself is not given here
      throw input_error(name, "given without --slurm", "--slurm too (they describe its scripts)");
  }
  const bool cuda = is_cuda(f);
  if (f.slurm.enabled) {
    f.slurm.validate();
    if (f.slurm.gpus_per_task > 1)
      throw input_error("--slurm-gpus", std::to_string(f.slurm.gpus_per_task),
                        "0 or 1: a task is one process on one GPU (several GPUs for one run: srun ... bgm run-task, docs/cluster.md)");
    if (f.slurm.gpus_per_task > 0 && !cuda)
      throw input_error("--slurm-gpus", std::to_string(f.slurm.gpus_per_task), "0 unless the study runs with --device cuda");
  }
  const int modes = (f.plan ? 1 : 0) + (given(cmd, "--task") ? 1 : 0) + (f.assemble ? 1 : 0) + (f.run_all ? 1 : 0);
  if (modes > 1) throw input_error("--plan, --task, --assemble and --run-all", "more than one", "at most one");
  if (f.plan) e.mode = StudyExecution::Mode::kPlan;
  if (f.assemble) e.mode = StudyExecution::Mode::kAssemble;
  e.planned = f.run_all;
  if (given(cmd, "--task")) {
    e.mode = StudyExecution::Mode::kTask;
    e.task = f.task;
    DistributedEnv env = distributed_env_from_environment();
    if (env.distributed()) {
      env.cuda = cuda;
      fmt::print(stderr, "bgm: rank {} of {}: joining the {} process group at {}:{}\n", env.rank, env.world_size,
                 env.cuda ? "NCCL" : "Gloo", env.master_addr, env.master_port);
      set_active_data_parallel(std::make_unique<DataParallel>(env));
    }
  }
  return e;
}

void place_rank(Compute& compute) {
  const DataParallel* parallel = active_data_parallel();
  if (!parallel || !compute.device.is_cuda()) return;
  if (compute.device.has_index())
    throw input_error("--device", compute.device.str(), "cuda (no index) in a data-parallel run: each rank takes its own GPU");
  // Each rank of a host takes its own GPU, as LOCAL_RANK says; modulo the GPUs it sees, since
  // `srun --gpus-per-task 1` shows every task its one GPU as device 0.
  const int visible = static_cast<int>(torch::cuda::device_count());
  compute.device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(parallel->local_rank() % std::max(1, visible)));
}

void adopt_planned_precision(const StudyExecution& exec, Compute& compute, const std::filesystem::path& out) {
  if (exec.mode != StudyExecution::Mode::kTask && exec.mode != StudyExecution::Mode::kAssemble) return;
  const auto path = out / "config.json";
  if (!std::filesystem::exists(path)) return;  // refused later, naming the directory
  const auto config = parse_json(read_file(path), path.string(), "a config.json written by bgm plan");
  const auto precision = config.is_object() && config.contains("study") ? config["study"].value("precision", std::string())
                                                                        : std::string();
  if (precision == "fp32" || precision == "bf16") compute.precision = parse_precision(precision, compute.device);
}

void print_execution_done(const StudyExecution& exec) {
  if (exec.mode == StudyExecution::Mode::kTask) {
    const DataParallel* parallel = active_data_parallel();
    fmt::print(stderr, "bgm: task {} done{}\n", exec.task,
               parallel ? fmt::format(" (rank {} of {})", parallel->rank(), parallel->world_size()) : "");
  }
}

MeasureConfig resolve_measures(const CommonFlags& f) {
  MeasureConfig m;
  m.enabled = f.measures;
  m.fgsm_eps = f.fgsm_eps;
  m.hessian_images = f.hessian_images;
  m.hessian_iterations = f.hessian_iterations;
  m.path_points = f.path_points;
  return m;
}

bool given(const CLI::App& cmd, const char* name) { return cmd.get_option(name)->count() > 0; }

Compute resolve_compute(const CommonFlags& f, const CLI::App& cmd, std::string& precision) {
  Compute c;
  c.device = parse_device(f.device, /*require_gpu=*/!f.plan);  // a plan is made on a login node
  if (given(cmd, "--precision")) precision = f.precision;
  c.precision = parse_precision(precision, c.device);
  c.channels_last = f.channels_last;
  return c;
}

}  // namespace bgm::cli
