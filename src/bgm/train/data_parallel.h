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

  bool distributed() const { return world_size > 1; }
};

/// From the usual environment: RANK and WORLD_SIZE (as torchrun sets them), else SLURM_PROCID
/// and SLURM_NTASKS (under srun); MASTER_ADDR and MASTER_PORT in both cases (default
/// 127.0.0.1:29500). A world of one process if neither pair is set. Throws bgm::Error naming
/// the variable, its value and what was expected for anything else.
DistributedEnv distributed_env_from_environment();

/// Rank `rank`'s contiguous share [begin, end) of positions 0..n-1 among `world` ranks, in rank
/// order; the first n % world ranks get one more.
std::pair<int64_t, int64_t> rank_share(int64_t n, int rank, int world);

/// True if this build can run a process group (bgm built with Gloo's headers, libgloo-dev).
bool data_parallel_available();

/// A c10d process group of the env's world. Rank 0 serves the rendezvous (a TCP store at
/// master_addr:master_port); the constructor returns once every rank has joined.
class DataParallel {
 public:
  explicit DataParallel(const DistributedEnv& env);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const { return env_.rank; }
  int world_size() const { return env_.world_size; }

  /// Copies rank 0's parameters and buffers into every rank's model.
  void broadcast_model(torch::nn::Module& model) const;
  /// Sums every parameter's gradient over the ranks, in place.
  void sum_gradients(torch::nn::Module& model) const;
  /// Sums a tensor over the ranks, in place.
  void sum(torch::Tensor& t) const;
  /// This rank's share of positions 0..n-1 (rank_share).
  std::pair<int64_t, int64_t> share(int64_t n) const { return rank_share(n, env_.rank, env_.world_size); }

 private:
  struct Group;
  DistributedEnv env_;
  std::unique_ptr<Group> group_;
};

}  // namespace bgm
