#include "bgm/train/data_parallel.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "bgm/core/error.h"
#include "bgm/models/model_state.h"
#include "no_bn_net.h"
#include "test_util.h"

namespace bgm {
namespace {

// Sets environment variables for its lifetime and restores them after.
class ScopedEnv {
 public:
  using Vars = std::vector<std::pair<std::string, std::string>>;
  explicit ScopedEnv(const Vars& vars) {
    for (const char* name : {"RANK", "WORLD_SIZE", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_STEP_NUM_TASKS", "MASTER_ADDR", "MASTER_PORT"}) {
      if (const char* v = std::getenv(name)) saved_.emplace_back(name, v);
      unsetenv(name);
    }
    for (const auto& [k, v] : vars) setenv(k.c_str(), v.c_str(), 1);
  }
  ~ScopedEnv() {
    for (const char* name : {"RANK", "WORLD_SIZE", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_STEP_NUM_TASKS", "MASTER_ADDR", "MASTER_PORT"})
      unsetenv(name);
    for (const auto& [k, v] : saved_) setenv(k.c_str(), v.c_str(), 1);
  }

 private:
  std::vector<std::pair<std::string, std::string>> saved_;
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// A TCP port nobody listens on right now (the kernel's pick for port 0).
int free_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(DataParallel, WorldFromTorchrunOrSlurmVariables) {
  {
    ScopedEnv env(ScopedEnv::Vars{});
    EXPECT_FALSE(distributed_env_from_environment().distributed());
  }
  {
    ScopedEnv env({{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "1234"}});
    const auto e = distributed_env_from_environment();
    EXPECT_EQ(e.rank, 1);
    EXPECT_EQ(e.world_size, 4);
    EXPECT_EQ(e.master_addr, "node7");
    EXPECT_EQ(e.master_port, 1234);
  }
  {
    ScopedEnv env({{"SLURM_PROCID", "2"}, {"SLURM_STEP_NUM_TASKS", "3"}});
    const auto e = distributed_env_from_environment();
    EXPECT_EQ(e.rank, 2);
    EXPECT_EQ(e.world_size, 3);
    EXPECT_EQ(e.master_addr, "127.0.0.1");
    EXPECT_EQ(e.master_port, 29500);
  }
  {
    ScopedEnv env({{"RANK", "2"}, {"WORLD_SIZE", "2"}});
    EXPECT_EQ(error_of([] { distributed_env_from_environment(); }),
              "environment variable RANK: got '2', expected an integer in 0..1");
  }
  {
    ScopedEnv env(ScopedEnv::Vars{{"RANK", "0"}});
    EXPECT_EQ(error_of([] { distributed_env_from_environment(); }),
              "environment variables RANK and WORLD_SIZE: got only RANK, expected both or neither");
  }
  {
    ScopedEnv env({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "http"}});
    EXPECT_EQ(error_of([] { distributed_env_from_environment(); }),
              "environment variable MASTER_PORT: got 'http', expected an integer in 1..65535");
  }
}

TEST(DataParallel, RankSharesSplitTheBatchInOrder) {
  EXPECT_EQ(rank_share(128, 0, 2), (std::pair<int64_t, int64_t>{0, 64}));
  EXPECT_EQ(rank_share(128, 1, 2), (std::pair<int64_t, int64_t>{64, 128}));
  // 10 over 3 ranks: 4, 3, 3.
  EXPECT_EQ(rank_share(10, 0, 3), (std::pair<int64_t, int64_t>{0, 4}));
  EXPECT_EQ(rank_share(10, 1, 3), (std::pair<int64_t, int64_t>{4, 7}));
  EXPECT_EQ(rank_share(10, 2, 3), (std::pair<int64_t, int64_t>{7, 10}));
  EXPECT_EQ(rank_share(5, 0, 1), (std::pair<int64_t, int64_t>{0, 5}));
}

// Issue 7's check: 2 processes with global batch 128 end 20 steps within 1e-5 of 1 process with
// batch 128 on the same data order, over c10d's Gloo process group on loopback.
TEST(DataParallel, TwoProcessesTakeTheStepsOfOne) {
  if (!data_parallel_available()) GTEST_SKIP() << "this build has no Gloo headers (libgloo-dev)";
  test::TempDir dir;
  const std::string worker = BGM_DATA_PARALLEL_WORKER;
  const auto one = dir.path() / "one.pt", two = dir.path() / "two.pt";
  const std::string base = "env -u RANK -u WORLD_SIZE -u SLURM_PROCID -u SLURM_NTASKS -u SLURM_STEP_NUM_TASKS ";
  ASSERT_EQ(std::system((base + "'" + worker + "' '" + one.string() + "' 1 > '" + (dir.path() / "one.json").string() +
                         "'").c_str()),
            0);
  const std::string rank = base + "MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(free_port()) + " WORLD_SIZE=2 ";
  const std::string both = rank + "RANK=0 '" + worker + "' '" + two.string() + "' 1 > '" +
                           (dir.path() / "two.json").string() + "' & a=$!; " + rank + "RANK=1 '" + worker +
                           "' '" + (dir.path() / "unused.pt").string() + "' 1 & b=$!; wait $a && wait $b";
  ASSERT_EQ(std::system(both.c_str()), 0) << both;
  std::cout << "1 process (1 thread): " << read_text(dir.path() / "one.json")
            << "2 processes (1 thread each): " << read_text(dir.path() / "two.json");

  auto a = std::make_shared<test::NoBnNet>(), b = std::make_shared<test::NoBnNet>();
  load_state_dict(*a, one);
  load_state_dict(*b, two);
  torch::manual_seed(100);  // rank 0's start, as the worker draws it
  auto start = std::make_shared<test::NoBnNet>();
  double largest = 0, moved = 0;
  const auto pa = a->parameters(), pb = b->parameters(), p0 = start->parameters();
  for (size_t i = 0; i < pa.size(); ++i) {
    largest = std::max(largest, (pa[i] - pb[i]).abs().max().item<double>());
    moved = std::max(moved, (pa[i] - p0[i]).abs().max().item<double>());
  }
  EXPECT_LT(largest, 1e-5);
  EXPECT_GT(moved, 1e-2);  // the weights did train
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "unused.pt"));  // only rank 0 writes
}

}  // namespace bgm
