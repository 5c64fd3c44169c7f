#include "bgm/study/toy.h"

#include <fmt/core.h>

#include <chrono>

#include "bgm/core/build_info.h"
#include "bgm/core/error.h"
#include "bgm/core/invocation.h"
#include "bgm/core/files.h"
#include "bgm/core/random.h"
#include "bgm/data/image_encode.h"
#include "bgm/data/toy_data.h"
#include "bgm/measure/decision_boundary.h"
#include "bgm/models/mlp.h"
#include "bgm/models/model_state.h"
#include "bgm/measure/seed_stats.h"
#include "bgm/report/boundary_picture.h"
#include "bgm/report/study_report.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Ordered = nlohmann::ordered_json;

struct ToySetting {
  int number;
  const char* description;
  bool random_labels, from_setting2, heuristics;
};

constexpr ToySetting kSettings[] = {
    {1, "true labels from a random init", false, false, false},
    {2, "random labels from the same init", true, false, false},
    {3, "true labels from setting 2", false, true, false},
    {4, "as 3 with augmentation, l2 and momentum", false, true, true},
};

double accuracy(ToyMlpImpl& model, const ToyData& d) {
  torch::NoGradGuard no_grad;
  return 100.0 * (model.forward(d.points) >= 0).to(torch::kFloat32).eq(d.labels).to(torch::kFloat64).mean().item<double>();
}

struct FitResult {
  int epochs = 0;
  double train_acc = 0, loss = 0, seconds = 0;
  bool reached = false;
};

// SGD with batch B over a reshuffled order each epoch until every training point is right.
FitResult fit(ToyMlpImpl& model, const ToyData& set, const ToyConfig& c, uint64_t seed, bool heuristics,
              const std::string& stream, std::string& csv) {
  torch::optim::SGD opt(model.parameters(), torch::optim::SGDOptions(c.lr)
                                                .momentum(heuristics ? c.momentum : 0.0)
                                                .weight_decay(heuristics ? c.weight_decay : 0.0));
  Rng order(seed, stream);
  const auto start = std::chrono::steady_clock::now();
  FitResult r;
  csv = "epoch,loss,train_acc\n";
  const int64_t n = set.points.size(0);
  while (r.epochs < c.max_epochs && !r.reached) {
    const auto perm = order.permutation(n);
    double loss_sum = 0;
    for (int64_t b = 0; b < n; b += c.batch_size) {
      std::vector<int64_t> idx(perm.begin() + b, perm.begin() + std::min(n, b + c.batch_size));
      auto index = torch::tensor(idx, torch::kInt64);
      opt.zero_grad();
      auto loss = torch::binary_cross_entropy_with_logits(model.forward(set.points.index_select(0, index)),
                                                          set.labels.index_select(0, index));
      loss.backward();
      opt.step();
      loss_sum += loss.item<double>() * static_cast<double>(idx.size());
    }
    ++r.epochs;
    r.loss = loss_sum / static_cast<double>(n);
    if (!std::isfinite(r.loss))
      throw Error(fmt::format("toy {}: the loss became {} in epoch {} (diverged); lower --lr", stream, r.loss, r.epochs));
    r.train_acc = accuracy(model, set);
    r.reached = r.train_acc >= 100.0;
    csv += fmt::format("{},{:.6f},{:.2f}\n", r.epochs, r.loss, r.train_acc);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

ToyMlp clone(const ToyMlp& model) {
  ToyMlp copy;
  copy_state(*model, *copy);
  return copy;
}

}  // namespace

void ToyConfig::validate() const {
  if (seeds.empty()) throw input_error("--seeds", "an empty list", "at least one seed");
  if (points_per_class < 1) throw input_error("toy points per class", std::to_string(points_per_class), "an integer >= 1");
  if (!(lr > 0)) throw input_error("--lr", std::to_string(lr), "a positive learning rate");
  if (batch_size < 1) throw input_error("--batch-size", std::to_string(batch_size), "an integer >= 1");
  if (max_epochs < 1) throw input_error("--max-epochs", std::to_string(max_epochs), "an integer >= 1");
  if (noisy_copies < 0) throw input_error("--noisy-copies", std::to_string(noisy_copies), "an integer >= 0");
  if (!(noise_std >= 0)) throw input_error("--noise-std", std::to_string(noise_std), "a value >= 0");
  if (picture_size < 16) throw input_error("--picture-size", std::to_string(picture_size), "at least 16 pixels");
  if (margin_grid < 16) throw input_error("toy margin grid", std::to_string(margin_grid), "at least 16 points a side");
}

nlohmann::json ToyConfig::to_json() const {
  return {{"preset", preset}, {"seeds", seeds}, {"points_per_class", points_per_class}, {"lr", lr}, {"batch_size", batch_size},
          {"max_epochs", max_epochs}, {"noisy_copies", noisy_copies}, {"noise_std", noise_std},
          {"weight_decay", weight_decay}, {"momentum", momentum}, {"picture_size", picture_size},
          {"margin_grid", margin_grid}, {"out", out.string()}};
}

ToyConfig toy_preset(const std::string& name) {
  if (name != "paper" && name != "cpu") throw input_error("--preset", "'" + name + "'", "paper or cpu (the same settings)");
  ToyConfig c;
  c.preset = name;
  return c;
}

namespace {

struct SeedResult {
  Ordered settings;
  std::vector<RgbImage> panels;
  PlaneWindow window;
};

// The four settings for one seed; pictures and metrics into dir.
SeedResult run_toy_seed(const ToyConfig& c, uint64_t seed, const fs::path& dir) {
  const ToyData data = make_toy_data(c.points_per_class, seed);
  const ToyData random = with_random_labels(data, seed);
  SeedResult out;
  out.window = window_around(data.points, 0.35);
  torch::manual_seed(derive_seed(seed, "toy/init"));
  const ToyMlp init;
  ToyMlp setting2;
  for (const auto& s : kSettings) {
    ToyMlp model = clone(s.from_setting2 ? setting2 : init);
    const ToyData& labelled = s.random_labels ? random : data;
    const ToyData set = s.heuristics ? with_noisy_copies(data, c.noisy_copies, c.noise_std, seed) : labelled;
    std::string csv;
    const FitResult r = fit(*model, set, c, seed, s.heuristics, fmt::format("toy/setting{}/order", s.number), csv);
    write_file_atomic(dir / "metrics" / fmt::format("setting{}.csv", s.number), csv);
    if (s.number == 2) setting2 = clone(model);

    torch::NoGradGuard no_grad;
    auto f = [&](const torch::Tensor& x) { return model->forward(x); };
    const auto boundary = boundary_points(logit_grid(f, out.window, c.margin_grid), out.window);
    const double margin = distances_to_boundary(boundary, data.points).min().item<double>();
    const auto picture = boundary_picture(logit_grid(f, out.window, c.picture_size), out.window, data.points,
                                          labelled.labels, data.labels);
    write_png(picture, dir / fmt::format("setting{}.png", s.number));
    out.panels.push_back(picture);
    if (!r.reached)
      fmt::print(stderr, "bgm: warning: toy seed {} setting {} stopped at {:.1f}% training accuracy after {} epochs "
                         "(--max-epochs): its boundary is not a global minimum's\n", seed, s.number, r.train_acc, r.epochs);
    out.settings[std::to_string(s.number)] = {
        {"train_acc", r.train_acc}, {"margin", std::isfinite(margin) ? Ordered(margin) : Ordered(nullptr)},
        {"description", s.description}, {"epochs", r.epochs}, {"reached_100", r.reached},
        // Setting 4 trains on the points and their noisy copies; this is on the points alone.
        {"train_acc_points", accuracy(*model, labelled)},
        {"final_loss", r.loss}, {"training_points", set.points.size(0)}, {"seconds", r.seconds}};
    fmt::print(stderr, "[toy seed {} setting {}] {}: {} epochs, train {:.1f}%, margin {:.4f} ({:.1f}s)\n", seed,
               s.number, s.description, r.epochs, r.train_acc, margin, r.seconds);
  }
  return out;
}

// Per setting, seed statistics of train_acc and margin (seeds whose boundary left the window
// have no margin and are not counted in it).
Ordered toy_statistics(const std::vector<Ordered>& per_seed) {
  Ordered stats;
  for (const auto& s : kSettings) {
    const std::string k = std::to_string(s.number);
    for (const char* field : {"train_acc", "margin"}) {
      std::vector<double> v;
      for (const auto& settings : per_seed)
        if (!settings[k][field].is_null()) v.push_back(settings[k][field].get<double>());
      stats[k][field] = v.empty() ? Ordered(nullptr) : to_json(seed_stats(v));
    }
  }
  return stats;
}

}  // namespace

Ordered run_toy_study(const ToyConfig& c) {
  c.validate();
  if (fs::exists(c.out) && (!fs::is_directory(c.out) || !fs::is_empty(c.out)))
    throw input_error("--out " + c.out.string(), "an existing, non-empty path", "a new or empty directory");
  ensure_writable_dir(c.out, "--out");
  write_json_atomic(c.out / "config.json", nlohmann::json{{"toy", c.to_json()}, {"build", build_info_json()}, {"invocation", invocation_json()}});

  const bool several = c.seeds.size() > 1;
  std::vector<Ordered> per_seed;
  std::vector<RgbImage> rows;
  Ordered by_seed;
  PlaneWindow first_window{};
  for (uint64_t seed : c.seeds) {
    SeedResult r = run_toy_seed(c, seed, several ? c.out / ("seed" + std::to_string(seed)) : c.out);
    if (per_seed.empty()) first_window = r.window;
    per_seed.push_back(r.settings);
    by_seed["seed" + std::to_string(seed)] = {{"window", {{"x", {r.window.x0, r.window.x1}}, {"y", {r.window.y0, r.window.y1}}}},
                                              {"settings", r.settings}};
    rows.push_back(side_by_side(r.panels, 12));
  }
  write_png(stacked(rows, 12), c.out / "toy.png");

  Ordered summary = {{"study", "toy"}, {"preset", c.preset}, {"seed", c.seeds.front()},
                     {"window", {{"x", {first_window.x0, first_window.x1}}, {"y", {first_window.y0, first_window.y1}}}},
                     {"settings", per_seed.front()}};
  if (several) {
    summary["seeds"] = c.seeds;
    summary["by_seed"] = by_seed;
    summary["stats"] = toy_statistics(per_seed);
  }
  write_json_atomic(c.out / "summary.json", summary);
  write_study_report(c.out, /*figures_required=*/false);
  return summary;
}

}  // namespace bgm
