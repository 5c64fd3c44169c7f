#include "bgm/train/trainer.h"

#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/random.h"
#include "bgm/data/batches.h"

namespace bgm {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string format_duration(double s) {
  const auto total = static_cast<int64_t>(std::llround(s));
  if (total >= 3600) return fmt::format("{}h{:02d}m", total / 3600, (total % 3600) / 60);
  if (total >= 60) return fmt::format("{}m{:02d}s", total / 60, total % 60);
  return fmt::format("{}s", total);
}

void set_lr(torch::optim::SGD& opt, double lr) {
  for (auto& group : opt.param_groups()) static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
}

struct EpochTotals {
  double loss_sum = 0;
  int64_t correct = 0;
  int64_t images = 0;
};

// One pass over the shuffled training set; returns the train-mode loss and accuracy sums.
EpochTotals train_epoch(ClassifierImpl& model, torch::optim::SGD& opt, const Dataset& set,
                        const Normalization& norm, const RunSpec& spec, const Compute& compute,
                        int epoch, Rng& order_rng, Rng& augment_rng) {
  model.train();
  auto dev = torch::TensorOptions().device(compute.device);
  auto loss_sum = torch::zeros({}, dev.dtype(torch::kFloat64));
  auto correct = torch::zeros({}, dev.dtype(torch::kInt64));
  int64_t images = 0;
  const auto batches = epoch_batches(set.size(), spec.sgd.batch_size, spec.sgd.drop_last, &order_rng);
  for (const auto& idx : batches) {
    auto index = torch::tensor(idx, torch::kInt64);
    auto raw = set.images.index_select(0, index);
    if (spec.sgd.augment) raw = augment_crop_flip(raw, augment_rng);
    auto x = to_model_input(raw, norm, compute.device, compute.channels_last);
    auto y = set.labels.index_select(0, index).to(compute.device);
    opt.zero_grad();
    torch::Tensor logits;
    {
      AutocastScope autocast(compute);
      logits = model.forward(x);
    }
    auto loss = torch::nn::functional::cross_entropy(logits.to(torch::kFloat32), y);
    loss.backward();
    opt.step();
    const auto b = static_cast<int64_t>(idx.size());
    loss_sum += loss.detach().to(torch::kFloat64) * static_cast<double>(b);
    correct += logits.detach().argmax(1).eq(y).sum();
    images += b;
  }
  EpochTotals t{loss_sum.item<double>(), correct.item<int64_t>(), images};
  if (!std::isfinite(t.loss_sum))
    throw Error("run " + spec.name + ": the training loss became " + std::to_string(t.loss_sum) +
                " in epoch " + std::to_string(epoch) + " (diverged); lower the learning rate");
  return t;
}

void print_progress(const RunSpec& spec, const EpochMetrics& m, double left_s) {
  fmt::print(stderr,
             "[{}] epoch {:>3}/{} lr {:.4f} loss {:.4f} acc {:6.2f}% | train {:6.2f}% test {:6.2f}% "
             "(loss {:.3f}/{:.3f}) | {:.0f} img/s | left {}{}\n",
             spec.name, m.epoch, spec.stop.max_epochs, m.lr, m.running_loss, m.running_acc, m.train.accuracy,
             m.test.accuracy, m.train.loss, m.test.loss, m.images_per_second,
             spec.stop.has_target() ? "<= " : "", format_duration(left_s));
}

}  // namespace

std::string metrics_csv_header() {
  return "epoch,lr,running_loss,running_acc,train_loss,train_acc,test_loss,test_acc,seconds,"
         "images_per_second\n";
}

std::string metrics_csv_row(const EpochMetrics& m) {
  // Epoch 0 is the untrained start: it has an evaluation but no training fields.
  const std::string eval = fmt::format("{:.6f},{:.4f},{:.6f},{:.4f}", m.train.loss, m.train.accuracy,
                                       m.test.loss, m.test.accuracy);
  if (m.epoch == 0) return fmt::format("0,,,,{},{:.2f},\n", eval, m.seconds);
  return fmt::format("{},{:.6g},{:.6f},{:.4f},{},{:.2f},{:.1f}\n", m.epoch, m.lr, m.running_loss,
                     m.running_acc, eval, m.seconds, m.images_per_second);
}

std::string untrained_metrics_csv(const EvalResult& train, const EvalResult& test) {
  EpochMetrics m;
  m.train = train;
  m.test = test;
  return metrics_csv_header() + metrics_csv_row(m);
}

RunResult train_run(ClassifierImpl& model, const Dataset& train_set, const Dataset& test_set,
                    const Normalization& norm, const RunSpec& spec, const Compute& requested,
                    const std::filesystem::path& metrics_csv) {
  const Compute compute = compute_for(model, requested);
  spec.sgd.validate(spec.name);
  spec.stop.validate(spec.name);
  Rng order_rng(spec.seed, spec.name + "/order");
  Rng augment_rng(spec.seed, spec.name + "/augment");
  torch::optim::SGD opt(model.parameters(), torch::optim::SGDOptions(spec.sgd.schedule.lr_at(1))
                                                .momentum(spec.sgd.momentum)
                                                .weight_decay(spec.sgd.weight_decay));
  RunResult result;
  std::string csv = metrics_csv_header();
  const auto start = Clock::now();
  for (int epoch = 1; epoch <= spec.stop.max_epochs; ++epoch) {
    EpochMetrics m;
    m.epoch = epoch;
    m.lr = spec.sgd.schedule.lr_at(epoch);
    set_lr(opt, m.lr);
    const auto epoch_start = Clock::now();
    auto totals = train_epoch(model, opt, train_set, norm, spec, compute, epoch, order_rng, augment_rng);
    const double train_seconds = seconds_since(epoch_start);
    m.running_loss = totals.loss_sum / std::max<int64_t>(1, totals.images);
    m.running_acc = 100.0 * totals.correct / std::max<int64_t>(1, totals.images);
    m.images_per_second = totals.images / std::max(1e-9, train_seconds);

    // Measured after every epoch; the stop rule looks only every check_every epochs (the
    // reference code checks its target every 25).
    m.train = evaluate(model, train_set, norm, compute);
    m.test = evaluate(model, test_set, norm, compute);
    result.train = m.train;
    result.test = m.test;
    const bool check_now = epoch == spec.stop.max_epochs || epoch % spec.stop.check_every == 0;
    m.seconds = seconds_since(start);
    result.history.push_back(m);
    result.epochs = epoch;
    csv += metrics_csv_row(m);
    if (!metrics_csv.empty()) write_file_atomic(metrics_csv, csv);

    result.reached_target = check_now && spec.stop.has_target() &&
                            m.train.accuracy >= spec.stop.target_train_acc;
    const double left = (spec.stop.max_epochs - epoch) * (m.seconds / epoch);
    print_progress(spec, m, result.reached_target ? 0.0 : left);
    if (result.reached_target) break;
  }
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace bgm
