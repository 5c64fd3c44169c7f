#include "bgm/train/trainer.h"

#include <fmt/core.h>

#include <chrono>
#include <csignal>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/core/interrupt.h"
#include "bgm/core/random.h"
#include "bgm/models/model_state.h"
#include "bgm/data/batches.h"
#include "bgm/train/checkpoint.h"
#include "bgm/train/data_parallel.h"
#include "bgm/train/train_step.h"

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

// How often the trainer looks whether the loss stayed finite: each look waits for the device,
// so not at every step.
constexpr int64_t kFiniteCheckEvery = 50;

std::string loss_text(int64_t epoch, int64_t step, int64_t epoch_steps) {
  return fmt::format("epoch {} step {} (step {} of the run)", epoch, epoch_steps, step);
}

// Runs the steps of one epoch from pos.epoch_steps on; returns false if a stop was requested
// (pos then describes the point reached). Adds to pos's running sums.
bool train_epoch(ClassifierImpl& model, torch::optim::SGD& opt, const Dataset& set, const Normalization& norm,
                 const RunSpec& spec, const Compute& compute, int epoch,
                 const std::vector<std::vector<int64_t>>& batches, TrainPosition& pos, Rng& augment_rng,
                 const TrainHooks& hooks, const DataParallel* parallel) {
  model.train();
  auto dev = torch::TensorOptions().device(compute.device);
  auto loss_sum = torch::full({}, pos.loss_sum, dev.dtype(torch::kFloat64));
  auto correct = torch::full({}, pos.correct, dev.dtype(torch::kInt64));
  // The epoch step of the first non-finite loss, -1 while there is none; kept on the device.
  auto first_bad = torch::full({}, -1, dev.dtype(torch::kInt64));
  auto sync = [&] {
    if (parallel) {  // every rank stops at the earliest bad step of any rank
      constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
      auto earliest = torch::where(first_bad.lt(0), torch::full_like(first_bad, -kNone), first_bad.neg());
      parallel->max(earliest);  // the largest negated step: the smallest step
      first_bad = torch::where(earliest.eq(-kNone), torch::full_like(first_bad, -1), earliest.neg());
    }
    pos.loss_sum = loss_sum.item<double>();
    pos.correct = correct.item<int64_t>();
    const int64_t bad = first_bad.item<int64_t>();
    if (bad >= 0)
      throw RunDiverged(fmt::format("run {}: the training loss became NaN or infinite at {}; its last "
                                    "checkpoint, if an epoch finished before, is kept (a lower --lr is "
                                    "another configuration: that run starts over)",
                                    spec.name, loss_text(epoch, pos.steps - pos.epoch_steps + bad + 1, bad + 1)),
                        epoch, bad + 1);
  };
  for (size_t k = static_cast<size_t>(pos.epoch_steps); k < batches.size(); ++k) {
    const auto& idx = batches[k];
    const StepResult step = sgd_step(model, opt, set, idx, norm, spec.sgd, augment_rng, compute, parallel);
    const auto b = static_cast<int64_t>(idx.size());
    loss_sum += step.loss.to(torch::kFloat64) * static_cast<double>(b);
    correct += step.correct;
    first_bad.add_(step.loss.isfinite().logical_not().logical_and(first_bad.lt(0)).to(torch::kInt64) *
                   static_cast<int64_t>(k + 1));
    pos.images += b;
    pos.steps += 1;
    pos.epoch_steps = static_cast<int64_t>(k + 1);
    if (hooks.after_step) hooks.after_step(epoch, pos.epoch_steps);
    if (pos.epoch_steps % kFiniteCheckEvery == 0) sync();
    // Ranks of a process group stop only where they all agree: at the end of the epoch.
    if (!parallel && stop_requested() && k + 1 < batches.size()) {
      sync();
      return false;
    }
  }
  sync();
  // Each loss is computed before its step's update, so the epoch's last update is checked on
  // the weights themselves: a non-finite weight must not reach the checkpoint or the results.
  auto finite = torch::ones({}, dev.dtype(torch::kBool));
  for (const auto& p : model.parameters()) finite = finite.logical_and(p.isfinite().all());
  if (!finite.item<bool>())
    throw RunDiverged(fmt::format("run {}: the weights became NaN or infinite at {}; its last checkpoint, if an "
                                  "epoch finished before, is kept (a lower --lr is another configuration: that run "
                                  "starts over)",
                                  spec.name, loss_text(epoch, pos.steps, pos.epoch_steps)),
                      epoch, pos.epoch_steps);
  return true;
}

// evaluate(), each rank of a data-parallel group evaluating its share of the set.
EvalResult evaluate_shared(ClassifierImpl& model, const Dataset& set, const Normalization& norm, const Compute& compute,
                           const DataParallel* parallel) {
  if (!parallel) return evaluate(model, set, norm, compute);
  const auto [begin, end] = parallel->share(set.size());
  const EvalSums part = evaluate_part(model, set, norm, compute, begin, end);
  auto sums = torch::stack({part.loss_sum, part.correct.to(torch::kFloat64)});
  parallel->sum(sums);
  return eval_result(sums[0].item<double>(), std::llround(sums[1].item<double>()), set.size());
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

namespace {

nlohmann::json run_config(const RunSpec& spec, const Compute& compute, const Dataset& set, const nlohmann::json& identity) {
  nlohmann::json c = {{"name", spec.name}, {"seed", spec.seed}, {"sgd", spec.sgd.to_json()}, {"stop", spec.stop.to_json()},
          {"train_images", set.size()}, {"device", device_kind(compute.device)}, {"precision", to_string(compute.precision)},
          {"channels_last", compute.channels_last}, {"identity", identity}};
  // Batch norm sees each rank's share of a batch: resuming under another world size would mix
  // two runs. (Absent for one process, as in checkpoints made before data parallelism.)
  if (const DataParallel* parallel = active_data_parallel()) c["world_size"] = parallel->world_size();
  return c;
}

std::string momentum_key(const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

NamedTensors momentum_buffers(torch::optim::SGD& opt, const ClassifierImpl& model) {
  NamedTensors out;
  for (const auto& [name, p] : trainable_parameters(model)) {
    auto it = opt.state().find(momentum_key(p));
    if (it == opt.state().end()) continue;
    const auto& buf = static_cast<torch::optim::SGDParamState&>(*it->second).momentum_buffer();
    if (buf.defined()) out.emplace_back(name, buf);
  }
  return out;
}

void restore_momentum(torch::optim::SGD& opt, const ClassifierImpl& model, const NamedTensors& buffers,
                      const std::string& where) {
  std::map<std::string, torch::Tensor> by_name(buffers.begin(), buffers.end());
  for (const auto& [name, p] : trainable_parameters(model)) {
    auto it = by_name.find(name);
    if (it == by_name.end()) continue;
    if (it->second.sizes() != p.sizes())
      throw input_error(where + " momentum " + name, "shape " + c10::str(it->second.sizes()),
                        "the parameter's shape " + c10::str(p.sizes()));
    auto state = std::make_unique<torch::optim::SGDParamState>();
    state->momentum_buffer(torch::empty_like(p).copy_(it->second));  // the parameter's device and layout
    opt.state()[momentum_key(p)] = std::move(state);
    by_name.erase(it);
  }
  if (!by_name.empty()) throw input_error(where, "momentum for unknown parameter '" + by_name.begin()->first + "'", "the model's parameters");
}

void save_state(const RunFiles& files, const nlohmann::json& config, const TrainPosition& pos,
                const ClassifierImpl& model, torch::optim::SGD& opt) {
  if (files.checkpoint.empty() || !files.write) return;
  Checkpoint c;
  c.config = config;
  c.position = pos;
  c.model = state_dict(model);
  c.momentum = momentum_buffers(opt, model);
  {
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    c.torch_rng = generator.get_state();
  }
  c.threads = at::get_num_threads();
  save_checkpoint(files.checkpoint, c);
}

// Continues from files.checkpoint if there is one; returns the position to go on from.
TrainPosition resume(const RunFiles& files, const nlohmann::json& config, const RunSpec& spec, ClassifierImpl& model,
                     torch::optim::SGD& opt) {
  TrainPosition pos;
  auto c = files.checkpoint.empty() ? std::nullopt : load_checkpoint(files.checkpoint);
  if (!c) return pos;
  check_checkpoint_config(files.checkpoint, c->config, config);
  const TrainPosition& p = c->position;
  const bool whole = p.epochs_done >= 0 && p.epochs_done <= spec.stop.max_epochs && p.epoch_steps >= 0 &&
                     p.history.size() == static_cast<size_t>(p.epochs_done) && !p.order_state.empty() &&
                     !p.augment_state.empty() && (p.epoch_steps == 0 || !p.stopped);
  if (!whole)
    throw input_error(files.checkpoint.string(),
                      fmt::format("an inconsistent position ({} epochs done, {} rows of history, {} steps into the next)",
                                  p.epochs_done, p.history.size(), p.epoch_steps),
                      "a checkpoint written by bgm (delete it to restart the run)");
  try {
    Rng probe(0);
    probe.set_state(p.order_state);
    probe.set_state(p.augment_state);
  } catch (const Error& e) {
    throw input_error(files.checkpoint.string(), e.what(), "a checkpoint written by bgm");
  }
  if (c->threads != at::get_num_threads())
    fmt::print(stderr, "[{}] warning: the checkpoint was written with {} threads, this process has {}: the result "
                       "may differ in the last bits from an uninterrupted run\n",
               spec.name, c->threads, at::get_num_threads());
  load_named_tensors(model, c->model, files.checkpoint.string());
  restore_momentum(opt, model, c->momentum, files.checkpoint.string());
  if (c->torch_rng.numel() > 0) {
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    try {
      generator.set_state(c->torch_rng);
    } catch (const c10::Error& e) {
      throw input_error(files.checkpoint.string() + " torch_rng", e.what_without_backtrace(), "LibTorch's CPU generator state");
    }
  }
  fmt::print(stderr, "[{}] resuming from {}: {} epochs done{}\n", spec.name, files.checkpoint.string(),
             c->position.epochs_done,
             c->position.epoch_steps ? fmt::format(", {} steps into epoch {}", c->position.epoch_steps, c->position.epochs_done + 1) : "");
  return c->position;
}

[[noreturn]] void throw_interrupted(const RunSpec& spec, const RunFiles& files, const std::string& where) {
  const int sig = stop_requested() ? stop_requested() : SIGTERM;  // a rank stopped because another was
  throw Interrupted(fmt::format("run {} stopped by signal {} at {}; its state is in {}: run the same command "
                                "again to continue",
                                spec.name, sig, where,
                                files.checkpoint.empty() ? "no checkpoint (none was asked for)" : files.checkpoint.string()),
                    sig);
}

RunResult result_of(const TrainPosition& pos) {
  RunResult r;
  r.history = pos.history;
  r.epochs = pos.epochs_done;
  r.seconds = pos.seconds;
  r.reached_target = pos.reached_target;
  if (!pos.history.empty()) {
    r.train = pos.history.back().train;
    r.test = pos.history.back().test;
  }
  return r;
}

}  // namespace

RunResult train_run(ClassifierImpl& model, const Dataset& train_set, const Dataset& test_set,
                    const Normalization& norm, const RunSpec& spec, const Compute& requested,
                    const RunFiles& files, const TrainHooks& hooks) {
  const Compute compute = compute_for(model, requested);
  spec.sgd.validate(spec.name);
  spec.stop.validate(spec.name);
  Rng order_rng(spec.seed, spec.name + "/order");
  Rng augment_rng(spec.seed, spec.name + "/augment");
  torch::optim::SGD opt = make_sgd(model, spec.sgd);
  const nlohmann::json config = run_config(spec, compute, train_set, files.identity);
  TrainPosition pos = resume(files, config, spec, model, opt);
  if (pos.order_state.empty()) {  // a fresh start
    pos.order_state = order_rng.state();
    pos.augment_state = augment_rng.state();
  }
  augment_rng.set_state(pos.augment_state);
  const DataParallel* parallel = active_data_parallel();
  if (parallel) parallel->broadcast_model(model);
  std::string csv = metrics_csv_header();
  for (const auto& m : pos.history) csv += metrics_csv_row(m);

  const auto start = Clock::now();
  const double seconds_before = pos.seconds;
  auto now_seconds = [&] { return seconds_before + seconds_since(start); };
  while (!pos.stopped && pos.epochs_done < spec.stop.max_epochs) {
    const int epoch = pos.epochs_done + 1;
    EpochMetrics m;
    m.epoch = epoch;
    m.lr = spec.sgd.schedule.lr_at(epoch);
    set_lr(opt, m.lr);
    order_rng.set_state(pos.order_state);  // the epoch's order, also when resuming inside it
    const auto batches = epoch_batches(train_set.size(), spec.sgd.batch_size, spec.sgd.drop_last, &order_rng);
    if (pos.epoch_steps >= static_cast<int64_t>(std::max<size_t>(1, batches.size())))
      throw input_error(files.checkpoint.string(), fmt::format("{} steps into epoch {}", pos.epoch_steps, epoch),
                        fmt::format("fewer than the epoch's {} steps", batches.size()));
    const auto epoch_start = Clock::now();
    const bool complete =
        train_epoch(model, opt, train_set, norm, spec, compute, epoch, batches, pos, augment_rng, hooks, parallel);
    pos.epoch_train_seconds += seconds_since(epoch_start);
    pos.augment_state = augment_rng.state();
    if (!complete) {
      pos.seconds = now_seconds();
      save_state(files, config, pos, model, opt);
      const int sig = stop_requested();
      throw Interrupted(fmt::format("run {} stopped by signal {} at {}; its state is in {}: run the same command again "
                                    "to continue",
                                    spec.name, sig, loss_text(epoch, pos.steps, pos.epoch_steps),
                                    files.checkpoint.empty() ? "no checkpoint (none was asked for)" : files.checkpoint.string()),
                        sig);
    }
    if (parallel) {  // each rank summed its share of every batch
      // On the model's device: NCCL reduces CUDA tensors only.
      auto sums = torch::tensor({pos.loss_sum, static_cast<double>(pos.correct)}, torch::kFloat64).to(compute.device);
      parallel->sum(sums);
      pos.loss_sum = sums[0].item<double>();
      pos.correct = std::llround(sums[1].item<double>());
      parallel->average_buffers(model);
    }
    m.running_loss = pos.loss_sum / std::max<int64_t>(1, pos.images);
    m.running_acc = 100.0 * pos.correct / std::max<int64_t>(1, pos.images);
    m.images_per_second = pos.images / std::max(1e-9, pos.epoch_train_seconds);

    // Measured after every epoch; the stop rule looks only every check_every epochs (the
    // reference code checks its target every 25).
    m.train = evaluate_shared(model, train_set, norm, compute, parallel);
    m.test = evaluate_shared(model, test_set, norm, compute, parallel);
    const bool check_now = epoch == spec.stop.max_epochs || epoch % spec.stop.check_every == 0;
    m.seconds = now_seconds();
    pos.history.push_back(m);
    csv += metrics_csv_row(m);
    if (!files.metrics_csv.empty() && files.write) write_file_atomic(files.metrics_csv, csv);

    pos.reached_target = check_now && spec.stop.has_target() && m.train.accuracy >= spec.stop.target_train_acc;
    pos.epochs_done = epoch;
    pos.stopped = pos.reached_target || epoch == spec.stop.max_epochs;
    pos.epoch_steps = 0;
    pos.loss_sum = 0;
    pos.correct = pos.images = 0;
    pos.epoch_train_seconds = 0;
    pos.order_state = order_rng.state();
    pos.seconds = m.seconds;
    save_state(files, config, pos, model, opt);
    const double left = (spec.stop.max_epochs - epoch) * (m.seconds / epoch);
    print_progress(spec, m, pos.reached_target ? 0.0 : left);
    bool stop = stop_requested() != 0;
    if (parallel) {
      auto any = torch::tensor({stop ? 1 : 0}, torch::kInt64).to(compute.device);
      parallel->max(any);
      stop = any.item<int64_t>() > 0;
    }
    if (stop && !pos.stopped) throw_interrupted(spec, files, fmt::format("the end of epoch {}", epoch));
  }
  return result_of(pos);
}

}  // namespace bgm
