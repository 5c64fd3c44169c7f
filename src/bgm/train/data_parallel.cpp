#include "bgm/train/data_parallel.h"

#include <cerrno>
#include <cstdlib>

#include "bgm/core/error.h"

#ifdef BGM_HAVE_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#ifdef BGM_HAVE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace bgm {
namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

int env_int(const char* name, const char* value, int lo, int hi) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(value, &end, 10);
  if (errno || end == value || *end || v < lo || v > hi)
    throw input_error(std::string("environment variable ") + name, "'" + std::string(value) + "'",
                      "an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<int>(v);
}

}  // namespace

DistributedEnv distributed_env_from_environment() {
  DistributedEnv e;
  const char *rank = env("RANK"), *world = env("WORLD_SIZE");
  const char *rank_name = "RANK", *world_name = "WORLD_SIZE";
  if (!rank && !world) {
    // The job step's, set by srun: a batch script's SLURM_NTASKS counts the job's tasks, not
    // the processes this one runs with.
    // A batch script may have SLURM_PROCID alone: then it is one process.
    rank = env("SLURM_PROCID"), world = env("SLURM_STEP_NUM_TASKS");
    rank_name = "SLURM_PROCID", world_name = "SLURM_STEP_NUM_TASKS";
    if (!rank || !world) return e;
  }
  if (!rank && !world) return e;
  if (!rank || !world)
    throw input_error(std::string("environment variables ") + rank_name + " and " + world_name,
                      std::string("only ") + (rank ? rank_name : world_name), "both or neither");
  e.world_size = env_int(world_name, world, 1, 1 << 20);
  e.rank = env_int(rank_name, rank, 0, e.world_size - 1);
  if (const char* addr = env("MASTER_ADDR")) e.master_addr = addr;
  if (const char* port = env("MASTER_PORT")) e.master_port = env_int("MASTER_PORT", port, 1, 65535);
  e.local_rank = e.rank;
  if (const char* local = env("LOCAL_RANK"))
    e.local_rank = env_int("LOCAL_RANK", local, 0, e.world_size - 1);
  else if (const char* local_id = env("SLURM_LOCALID"))
    e.local_rank = env_int("SLURM_LOCALID", local_id, 0, e.world_size - 1);
  return e;
}

std::pair<int64_t, int64_t> rank_share(int64_t n, int rank, int world) {
  const int64_t w = world, r = rank, base = n / w, extra = n % w;
  const int64_t begin = r * base + std::min(r, extra);
  return {begin, begin + base + (r < extra ? 1 : 0)};
}

#ifdef BGM_HAVE_GLOO

struct DataParallel::Group {
  c10::intrusive_ptr<c10d::ProcessGroup> pg;
};

bool data_parallel_available() { return true; }

#ifdef BGM_HAVE_NCCL
bool nccl_available() { return true; }
#else
bool nccl_available() { return false; }
#endif

DataParallel::DataParallel(const DistributedEnv& e) : env_(e), group_(std::make_unique<Group>()) {
  if (e.world_size < 1 || e.rank < 0 || e.rank >= e.world_size)
    throw input_error("data-parallel rank", std::to_string(e.rank) + " of " + std::to_string(e.world_size),
                      "0 <= rank < world size");
  c10d::TCPStoreOptions store_options;
  store_options.port = static_cast<std::uint16_t>(e.master_port);
  store_options.isServer = e.rank == 0;
  store_options.numWorkers = static_cast<size_t>(e.world_size);
  store_options.timeout = std::chrono::minutes(5);
  if (e.cuda && !nccl_available())
    throw Error("a data-parallel run on CUDA needs c10d's NCCL process group, which this LibTorch lacks "
                "(build bgm against a CUDA PyTorch's LibTorch, docs/cluster.md)");
  try {
    auto store = c10::make_intrusive<c10d::TCPStore>(e.master_addr, store_options);
#ifdef BGM_HAVE_NCCL
    if (e.cuda) {
      group_->pg = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, e.rank, e.world_size,
                                                                c10d::ProcessGroupNCCL::Options::create());
      return;
    }
#endif
    auto options = c10d::ProcessGroupGloo::Options::create(std::chrono::minutes(30));
    // GLOO_SOCKET_IFNAME picks the network interface, as in PyTorch; else the host name's address.
    if (const char* iface = env("GLOO_SOCKET_IFNAME"))
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(iface));
    else
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    group_->pg = c10::make_intrusive<c10d::ProcessGroupGloo>(store, e.rank, e.world_size, options);
  } catch (const std::exception& x) {
    throw Error("data-parallel rank " + std::to_string(e.rank) + " of " + std::to_string(e.world_size) +
                ": could not join the process group at " + e.master_addr + ":" + std::to_string(e.master_port) +
                ": " + x.what());
  }
}

DataParallel::~DataParallel() = default;

void DataParallel::broadcast_model(torch::nn::Module& model) const {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> all;
  for (const auto& p : model.parameters()) all.push_back(p);
  for (const auto& b : model.buffers()) all.push_back(b);
  for (auto& t : all) {
    std::vector<torch::Tensor> one{t};
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    group_->pg->broadcast(one, options)->wait();
  }
}

void DataParallel::sum_gradients(torch::nn::Module& model) const {
  // One all-reduce over all gradients flattened into one buffer, not one per parameter.
  std::vector<torch::Tensor> grads;
  for (const auto& p : model.parameters())
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return;
  std::vector<torch::Tensor> flat_parts;
  for (const auto& g : grads) flat_parts.push_back(g.reshape({-1}));
  std::vector<torch::Tensor> flat{torch::cat(flat_parts)};
  group_->pg->allreduce(flat)->wait();
  int64_t offset = 0;
  for (auto& g : grads) {
    g.copy_(flat[0].narrow(0, offset, g.numel()).view(g.sizes()));
    offset += g.numel();
  }
}

void DataParallel::sum(torch::Tensor& t) const {
  std::vector<torch::Tensor> one{t};
  group_->pg->allreduce(one)->wait();
}

void DataParallel::max(torch::Tensor& t) const {
  std::vector<torch::Tensor> one{t};
  c10d::AllreduceOptions options;
  options.reduceOp = c10d::ReduceOp::MAX;
  group_->pg->allreduce(one, options)->wait();
}

void DataParallel::average_buffers(torch::nn::Module& model) const {
  torch::NoGradGuard no_grad;
  for (auto& b : model.buffers()) {
    if (!b.is_floating_point()) continue;  // num_batches_tracked: the same on every rank
    std::vector<torch::Tensor> one{b};
    group_->pg->allreduce(one)->wait();
    b.div_(static_cast<double>(env_.world_size));
  }
}

#else  // a LibTorch without Gloo's headers at hand

struct DataParallel::Group {};

bool data_parallel_available() { return false; }
bool nccl_available() { return false; }

DataParallel::DataParallel(const DistributedEnv& e) : env_(e) {
  throw Error("this bgm was built without Gloo's headers (Debian: libgloo-dev), so it cannot run data-parallel");
}
DataParallel::~DataParallel() = default;
void DataParallel::broadcast_model(torch::nn::Module&) const {}
void DataParallel::sum_gradients(torch::nn::Module&) const {}
void DataParallel::sum(torch::Tensor&) const {}
void DataParallel::max(torch::Tensor&) const {}
void DataParallel::average_buffers(torch::nn::Module&) const {}

#endif

namespace {
std::unique_ptr<DataParallel>& active_group() {
  static std::unique_ptr<DataParallel> group;
  return group;
}
}  // namespace

const DataParallel* active_data_parallel() { return active_group().get(); }
void set_active_data_parallel(std::unique_ptr<DataParallel> group) { active_group() = std::move(group); }

}  // namespace bgm
