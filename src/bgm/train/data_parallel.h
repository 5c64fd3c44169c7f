#pragma once
// One run over several processes, data-parallel with PyTorch's own c10d (Gloo on the CPU).
// Every rank holds the whole model and draws the same global batch; each computes the loss of
// its contiguous share of the batch, scaled by its share, and an all-reduce sums the gradients
// after every backward pass. So W processes with global batch B take the steps one process
// with batch B takes: exactly (up to summation order) without batch norm. Batch-norm
// statistics are each rank's own: they are not synchronized.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <utility>

namespace bgm {

/// Where a process sits in a data-parallel run.
struct DistributedEnv {
  int rank = 0;
  int world_size = 1;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  int local_rank = 0;  ///< the rank among this host's processes: LOCAL_RANK, else SLURM_LOCALID, else rank
  bool cuda = false;   ///< NCCL on CUDA tensors (each rank on GPU local_rank), else Gloo on the CPU

  bool distributed() const { return world_size > 1; }
};

/// From the usual environment: RANK and WORLD_SIZE (as torchrun sets them), else SLURM_PROCID
/// and SLURM_STEP_NUM_TASKS (under srun; a batch script's SLURM_NTASKS is the job's, not a
/// step's); MASTER_ADDR and MASTER_PORT in both cases (default
/// 127.0.0.1:29500). A world of one process if neither pair is set. Throws bgm::Error naming
/// the variable, its value and what was expected for anything else.
DistributedEnv distributed_env_from_environment();

/// Rank `rank`'s contiguous share [begin, end) of positions 0..n-1 among `world` ranks, in rank
/// order; the first n % world ranks get one more.
std::pair<int64_t, int64_t> rank_share(int64_t n, int rank, int world);

/// True if this build can run a process group (bgm built with Gloo's headers, libgloo-dev).
bool data_parallel_available();
/// True if this build can run NCCL process groups (a LibTorch with CUDA and c10d's NCCL headers).
bool nccl_available();

/// A c10d process group of the env's world: ProcessGroupNCCL if env.cuda, else ProcessGroupGloo. Rank 0 serves the rendezvous (a TCP store at
/// master_addr:master_port); the constructor returns once every rank has joined.
class DataParallel {
 public:
  explicit DataParallel(const DistributedEnv& env);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const { return env_.rank; }
  int world_size() const { return env_.world_size; }
  int local_rank() const { return env_.local_rank; }
  /// "gloo" or "nccl".
  const char* backend() const { return env_.cuda ? "nccl" : "gloo"; }

  /// Copies rank 0's parameters and buffers into every rank's model.
  void broadcast_model(torch::nn::Module& model) const;
  /// Sums every parameter's gradient over the ranks, in place.
  void sum_gradients(torch::nn::Module& model) const;
  /// Sums a tensor over the ranks, in place.
  void sum(torch::Tensor& t) const;
  /// The largest value of each element over the ranks, in place.
  void max(torch::Tensor& t) const;
  /// Replaces every floating-point buffer (batch norm's running statistics) by its mean over
  /// the ranks, so that every rank evaluates and saves the same model.
  void average_buffers(torch::nn::Module& model) const;
  /// This rank's share of positions 0..n-1 (rank_share).
  std::pair<int64_t, int64_t> share(int64_t n) const { return rank_share(n, env_.rank, env_.world_size); }

 private:
  struct Group;
  DistributedEnv env_;
  std::unique_ptr<Group> group_;
};

/// The process group this process trains in, or null (a process of its own). A process is
/// one rank for its whole life: the command line joins the group once (bgm run-task) and the
/// trainer and the run store consult it (only rank 0 writes).
const DataParallel* active_data_parallel();
void set_active_data_parallel(std::unique_ptr<DataParallel> group);

}  // namespace bgm
