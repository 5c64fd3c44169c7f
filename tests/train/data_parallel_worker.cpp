// One process of the data-parallel test (DataParallel.TwoProcessesTakeTheStepsOfOne): 20 steps
// of SOTA SGD (momentum, weight decay, crop and flip) with global batch 128 on 512 fixed random
// images, as rank RANK of WORLD_SIZE from the environment (one process without it). Each rank
// starts from other random weights, so only rank 0's broadcast makes them agree. Rank 0 writes
// the final weights to OUT and prints the training time.
//   data_parallel_worker OUT [THREADS]
#include <chrono>
#include <iostream>

#include "bgm/core/error.h"
#include "bgm/core/random.h"
#include "bgm/core/threads.h"
#include "bgm/data/batches.h"
#include "bgm/models/model_state.h"
#include "bgm/train/data_parallel.h"
#include "bgm/train/train_step.h"
#include "no_bn_net.h"

int main(int argc, char** argv) {
  using namespace bgm;
  if (argc < 2) {
    std::cerr << "usage: data_parallel_worker OUT [THREADS]\n";
    return 2;
  }
  try {
    configure_threads(argc > 2 ? std::atoi(argv[2]) : 1);
    const DistributedEnv env = distributed_env_from_environment();
    std::unique_ptr<DataParallel> parallel;
    if (env.distributed()) parallel = std::make_unique<DataParallel>(env);

    torch::manual_seed(7);  // the same data on every rank
    Dataset set;
    set.images = torch::randint(0, 256, {512, 32, 32, 3}, torch::kUInt8);
    set.labels = torch::randint(0, 10, {512}, torch::kInt64);
    set.class_names.assign(10, "c");

    torch::manual_seed(100 + env.rank);  // other weights on every rank until the broadcast
    auto net = std::make_shared<test::NoBnNet>();  // saving a state_dict walks it as a shared module
    auto& model = *net;
    if (parallel) parallel->broadcast_model(model);
    SgdSettings sgd = sota_sgd(parse_schedule("constant", 0.05, "lr"));
    auto opt = make_sgd(model, sgd);
    Compute compute;
    compute.channels_last = false;
    const auto norm = cifar10_normalization();
    Rng order(1, "order"), augment(1, "augment");
    const auto start = std::chrono::steady_clock::now();
    for (int epoch = 0; epoch < 5; ++epoch)
      for (const auto& batch : epoch_batches(set.size(), sgd.batch_size, sgd.drop_last, &order))
        sgd_step(model, opt, set, batch, norm, sgd, augment, compute, parallel.get());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (env.rank == 0) {
      save_state_dict(model, argv[1]);
      std::cout << "{\"seconds\": " << seconds << ", \"world_size\": " << env.world_size << "}" << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "data_parallel_worker: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
