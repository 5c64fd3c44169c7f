// bgm's side of the benchmark harness (bench/run): each subcommand measures one task with bgm's
// own code paths (the trainer's SGD step, the evaluator, the Algorithm 1 set) in a process of its
// own, so that the harness reads each task's peak memory, and prints one JSON object on stdout.
//   bgm_bench export --data DIR --train-images N --test-images M --out PREFIX
//   bgm_bench train  --data PREFIX --width W [--steps S] [--precision P] [--layout L]
//   bgm_bench eval   --data PREFIX --width W [--precision P] [--layout L]
//   bgm_bench alg1   --data PREFIX --replicas R [--stored]
//   bgm_bench sgemm  [--n 2048] [--precision P]
//   bgm_bench flops  --width W
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bgm/core/compute.h"
#include "bgm/core/error.h"
#include "bgm/core/random.h"
#include "bgm/core/threads.h"
#include "bgm/data/adversarial_set.h"
#include "bgm/data/batches.h"
#include "bgm/data/load.h"
#include "bgm/data/npy.h"
#include "bgm/measure/evaluate.h"
#include "bgm/measure/flops.h"
#include "bgm/models/model_zoo.h"
#include "bgm/train/train_step.h"

namespace bgm {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The first steps build oneDNN's primitives; the Python side skips as many.
constexpr int kWarmupSteps = 2;

struct Options {
  std::string data, out, precision = "fp32", layout = "channels-last";
  int64_t width = 16, steps = 0, train_images = 10000, test_images = 10000, n = 2048;
  int replicas = 10, threads = 0;
  double zero_out = 0.1;
  uint64_t seed = 0;
  bool stored = false;
};

Dataset load_split(const std::string& prefix, const std::string& split) {
  Dataset d;
  d.images = read_npy(prefix + "." + split + "_images.npy");
  d.labels = read_npy(prefix + "." + split + "_labels.npy");
  if (d.images.scalar_type() != torch::kUInt8 || d.images.dim() != 4 || d.images.size(1) != kImageSide ||
      d.images.size(2) != kImageSide || d.images.size(3) != kImageChannels || d.labels.scalar_type() != torch::kInt64 ||
      d.labels.dim() != 1 || d.labels.size(0) != d.images.size(0))
    throw input_error(prefix + "." + split + "_*.npy", "images " + c10::str(d.images.sizes()) + " and labels " +
                      c10::str(d.labels.sizes()), "(N, 32, 32, 3) uint8 images and (N) int64 labels");
  d.class_names.resize(10);
  for (int c = 0; c < 10; ++c) d.class_names[c] = std::to_string(c);
  return d;
}

Compute compute_of(const Options& o) {
  Compute c;
  c.precision = parse_precision(o.precision, c.device);
  if (o.layout != "channels-last" && o.layout != "nchw")
    throw input_error("--layout", "'" + o.layout + "'", "channels-last or nchw");
  c.channels_last = o.layout == "channels-last";
  return c;
}

Classifier model_for(const Options& o, const Compute& compute) {
  torch::manual_seed(o.seed);
  auto model = make_model({"resnet18", 10, o.width});
  place_model(*model, compute_for(*model, compute));
  return model;
}

Json export_data(const Options& o) {
  const auto splits = load_data(o.data, "--data");
  const auto train = balanced_subset(splits.train, o.train_images, o.seed, "--train-images");
  const auto test = balanced_subset(splits.test, o.test_images, o.seed, "--test-images");
  write_npy(o.out + ".train_images.npy", train.images);
  write_npy(o.out + ".train_labels.npy", train.labels);
  write_npy(o.out + ".test_images.npy", test.images);
  write_npy(o.out + ".test_labels.npy", test.labels);
  return {{"train_images", train.size()}, {"test_images", test.size()}, {"source", splits.source}};
}

// SOTA SGD on the true labels (augmentation on), timed over an epoch or its first `steps` steps.
Json train(const Options& o) {
  const auto set = load_split(o.data, "train");
  const Compute compute = compute_of(o);
  auto model = model_for(o, compute);
  model->train();
  const SgdSettings sgd = sota_sgd(cifar_schedule());
  auto opt = make_sgd(*model, sgd);
  const auto norm = cifar10_normalization();
  Rng order(o.seed, "bench/order"), augment(o.seed, "bench/augment");
  auto batches = epoch_batches(set.size(), sgd.batch_size, sgd.drop_last, &order);
  for (int k = 0; k < kWarmupSteps; ++k) sgd_step(*model, opt, set, batches[k], norm, sgd, augment, compute).loss.item();
  batches = epoch_batches(set.size(), sgd.batch_size, sgd.drop_last, &order);
  if (o.steps > 0 && o.steps < static_cast<int64_t>(batches.size())) batches.resize(static_cast<size_t>(o.steps));
  int64_t images = 0;
  const auto start = Clock::now();
  torch::Tensor loss_sum = torch::zeros({}, torch::kFloat64);
  for (const auto& b : batches) {
    loss_sum += sgd_step(*model, opt, set, b, norm, sgd, augment, compute).loss.to(torch::kFloat64);
    images += static_cast<int64_t>(b.size());
  }
  const double mean_loss = loss_sum.item<double>() / static_cast<double>(batches.size());  // waits for the device
  const double seconds = seconds_since(start);
  return {{"seconds", seconds}, {"images", images}, {"steps", batches.size()}, {"images_per_second", images / seconds},
          {"mean_loss", mean_loss}};
}

Json eval(const Options& o) {
  const auto set = load_split(o.data, "test");
  const Compute compute = compute_of(o);
  auto model = model_for(o, compute);
  const auto norm = cifar10_normalization();
  evaluate(*model, set.select({0, 1, 2, 3}), norm, compute);  // warm-up, as the Python side does
  const auto start = Clock::now();
  const auto r = evaluate(*model, set, norm, compute);
  const double seconds = seconds_since(start);
  return {{"seconds", seconds}, {"images", set.size()}, {"images_per_second", set.size() / seconds},
          {"accuracy", r.accuracy}};
}

// Builds the Algorithm 1 set (virtual, or --stored), then draws every copy once in a shuffled
// order in batches of 128, as an epoch of training on it does.
Json algorithm1(const Options& o) {
  const auto train = load_split(o.data, "train");
  const AdversarialSetOptions options{o.replicas, o.zero_out, o.seed};
  auto start = Clock::now();
  const Dataset set = o.stored ? make_stored_adversarial_set(train, options) : make_adversarial_set(train, options);
  const double build = seconds_since(start);
  Rng order(o.seed, "bench/order");
  const auto batches = epoch_batches(set.size(), 128, false, &order);
  start = Clock::now();
  int64_t zeros = 0;
  for (const auto& b : batches) zeros += set.gather(torch::tensor(b, torch::kInt64)).eq(0).sum().item<int64_t>();
  const double draw = seconds_since(start);
  return {{"seconds", build}, {"images", set.size()}, {"stored", o.stored}, {"epoch_draw_seconds", draw},
          {"zeroed_entries_seen", zeros}};
}

Json sgemm(const Options& o) {
  const auto type = parse_precision(o.precision, torch::kCPU) == Precision::kBf16 ? torch::kBFloat16 : torch::kFloat32;
  const auto a = torch::randn({o.n, o.n}).to(type), b = torch::randn({o.n, o.n}).to(type);
  torch::mm(a, b);
  std::vector<double> rates;
  const double flops = 2.0 * static_cast<double>(o.n) * o.n * o.n;
  const auto begin = Clock::now();
  while (rates.size() < 5 || seconds_since(begin) < 2.0) {
    const auto start = Clock::now();
    torch::mm(a, b);
    rates.push_back(flops / seconds_since(start));
  }
  std::sort(rates.begin(), rates.end());
  return {{"gflops", rates[rates.size() / 2] / 1e9}, {"n", o.n}, {"dtype", type == torch::kFloat32 ? "fp32" : "bf16"},
          {"repetitions", rates.size()}};
}

Json flops(const Options& o) {
  auto model = make_model({"resnet18", 10, o.width});
  const auto f = count_forward_flops(*model, {1, 3, kImageSide, kImageSide});
  return {{"forward_flops", f.flops}, {"convolutions", f.convolutions}, {"matrix_products", f.matrix_products}};
}

int run(int argc, char** argv) {
  CLI::App app{"bgm's side of the benchmark harness (bench/run)"};
  app.require_subcommand(1);
  Options o;
  app.add_option("--threads", o.threads, "LibTorch threads (0: the cores this process may use)");
  auto add = [&](const std::string& name, const std::string& help) { return app.add_subcommand(name, help); };
  auto* ex = add("export", "write a seeded class-balanced subset of a data set as .npy files");
  ex->add_option("--data", o.data, "a data directory bgm reads")->required();
  ex->add_option("--train-images", o.train_images);
  ex->add_option("--test-images", o.test_images);
  ex->add_option("--seed", o.seed);
  ex->add_option("--out", o.out, "prefix of the .npy files")->required();
  auto* tr = add("train", "time SOTA SGD steps on the exported training images");
  auto* ev = add("eval", "time evaluating the exported test images");
  auto* al = add("alg1", "time building the Algorithm 1 set and drawing an epoch of it");
  for (auto* c : {tr, ev, al}) c->add_option("--data", o.data, "prefix written by export")->required();
  for (auto* c : {tr, ev}) {
    c->add_option("--width", o.width);
    c->add_option("--precision", o.precision, "fp32, bf16 or auto");
    c->add_option("--layout", o.layout, "channels-last or nchw");
    c->add_option("--seed", o.seed);
  }
  tr->add_option("--steps", o.steps, "timed steps (0: one whole epoch)");
  al->add_option("--replicas", o.replicas);
  al->add_option("--zero-out", o.zero_out);
  al->add_flag("--stored", o.stored, "store all N * R copies instead of deriving them per batch");
  auto* sg = add("sgemm", "the machine's matrix-product rate");
  sg->add_option("--n", o.n);
  sg->add_option("--precision", o.precision);
  auto* fl = add("flops", "ResNet18's forward FLOPs per 32x32 image");
  fl->add_option("--width", o.width);
  CLI11_PARSE(app, argc, argv);

  Json out;
  try {
    configure_threads(o.threads);
    if (*ex) out = export_data(o);
    else if (*tr) out = train(o);
    else if (*ev) out = eval(o);
    else if (*al) out = algorithm1(o);
    else if (*sg) out = sgemm(o);
    else out = flops(o);
  } catch (const Error& e) {
    fmt::print(stderr, "bgm_bench: error: {}\n", e.what());
    return 1;
  } catch (const c10::Error& e) {
    fmt::print(stderr, "bgm_bench: error: {}\n", e.what_without_backtrace());
    return 1;
  }
  out["task"] = app.get_subcommands().front()->get_name();
  out["threads"] = at::get_num_threads();
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace
}  // namespace bgm

int main(int argc, char** argv) { return bgm::run(argc, argv); }
