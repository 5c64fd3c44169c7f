#include "bgm/study/run_measures.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/load.h"
#include "bgm/measure/fgsm.h"
#include "bgm/measure/hessian.h"
#include "bgm/measure/interpolation.h"
#include "bgm/measure/norms.h"
#include "bgm/measure/spectral.h"
#include "bgm/models/model_state.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Json = nlohmann::json;

// JSON has no infinity: a measure that overflowed is written as null.
Json finite(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

// The Hessian's fixed training subset: class-balanced (seed 0) where the classes allow it.
Dataset hessian_subset(const Dataset& train, int64_t n) {
  if (n >= train.size()) return train;
  try {
    return balanced_subset(train, n, 0, "hessian subset");
  } catch (const Error&) {  // a class too small for a balanced subset: the first n images
    std::vector<int64_t> first(static_cast<size_t>(n));
    std::iota(first.begin(), first.end(), 0);
    return train.select(first);
  }
}

Json measure(ClassifierImpl& model, const DataSplits& data, const Compute& compute, const MeasureConfig& c) {
  // One example as the model sees it: (1, 3, H, W); the data set holds (N, H, W, 3) bytes.
  const std::vector<int64_t> example = {1, 3, data.train.images.size(1), data.train.images.size(2)};
  Forward forward = [&model](const torch::Tensor& x) { return model.forward(x); };
  Json m;
  m["frobenius"] = frobenius_norm(model);
  for (const auto& [layer, norm] : layer_frobenius_norms(model)) m["layer_frobenius"][layer] = norm;
  m["l1_path"] = finite(path_norm(model, forward, 1, example));
  m["l2_path"] = finite(path_norm(model, forward, 2, example));
  const SpectralNorms spectral = spectral_norms(model, forward, example, c.spectral_iterations);
  m["spectral_log_product"] = finite(spectral.log_product);
  for (const auto& l : spectral.layers) m["spectral_layers"][l.layer] = l.norm;
  if (c.hessian_images > 0) {
    const HessianEigen h = hessian_top_eigenvalue(model, hessian_subset(data.train, c.hessian_images),
                                                  data.normalization, compute, c.hessian_iterations);
    m["hessian_top_eig"] = finite(h.eigenvalue);
    m["hessian_iterations"] = h.iterations;
    m["hessian_converged"] = h.converged;
  } else {
    m["hessian_top_eig"] = nullptr;
  }
  std::vector<double> eps;
  for (int e : c.fgsm_eps) eps.push_back(e / 255.0);
  const auto acc = fgsm_accuracies(model, data.test, data.normalization, compute, eps);
  for (size_t i = 0; i < eps.size(); ++i) m["fgsm"][std::to_string(c.fgsm_eps[i])] = acc[i];
  return m;
}

}  // namespace

void MeasureConfig::validate() const {
  for (size_t i = 0; i < fgsm_eps.size(); ++i) {
    if (fgsm_eps[i] < 0 || fgsm_eps[i] > 255)
      throw input_error("--fgsm-eps", std::to_string(fgsm_eps[i]), "epsilons in 1/255 units, 0..255");
    if (std::find(fgsm_eps.begin(), fgsm_eps.begin() + i, fgsm_eps[i]) != fgsm_eps.begin() + i)
      throw input_error("--fgsm-eps", std::to_string(fgsm_eps[i]) + " twice", "distinct epsilons");
  }
  if (hessian_images < 0) throw input_error("--hessian-images", std::to_string(hessian_images), "an integer >= 0");
  if (hessian_iterations < 1)
    throw input_error("--hessian-iterations", std::to_string(hessian_iterations), "an integer >= 1");
  if (path_points != 0 && path_points < 2)
    throw input_error("--path-points", std::to_string(path_points), "0 (none) or at least 2");
  if (spectral_iterations < 1)
    throw input_error("spectral iterations", std::to_string(spectral_iterations), "an integer >= 1");
}

Json MeasureConfig::to_json() const {
  return {{"fgsm_eps_255", fgsm_eps}, {"hessian_images", hessian_images},
          {"hessian_iterations", hessian_iterations}, {"spectral_iterations", spectral_iterations},
          {"path_points", path_points},
          {"precision", "fp32"}};
}

Json run_measures(const RunStore& store, const std::string& id, const ModelSpec& spec, const DataSplits& data,
                  const Compute& requested, const MeasureConfig& config) {
  const fs::path path = store.dir(id) / "measures.json";
  if (fs::exists(path)) {
    try {
      Json old = Json::parse(read_file(path));
      if (old.value("settings", Json()) == config.to_json()) return old;
    } catch (const Json::exception&) {
      // unreadable: measured again below and replaced
    }
  }
  const auto start = std::chrono::steady_clock::now();
  Compute compute = requested;
  compute.precision = Precision::kFp32;
  auto model = make_model(spec);
  load_state_dict(*model, store.weights(id));
  place_model(*model, compute);
  Json m = measure(*model, data, compute, config);
  m["settings"] = config.to_json();
  m["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_json_atomic(path, m);
  fmt::print(stderr, "[measures] {}: Frobenius {:.3f}, l2 path {}, Hessian top {}, FGSM {} ({:.0f}s)\n", id,
             m["frobenius"].get<double>(), m["l2_path"].dump(), m["hessian_top_eig"].dump(), m["fgsm"].dump(),
             m["seconds"].get<double>());
  return m;
}

Json run_path(const RunStore& store, const std::string& start_id, const std::string& end_id, const ModelSpec& spec,
              const DataSplits& data, const Compute& compute, int points) {
  const fs::path path = store.dir(end_id) / ("path-from-" + start_id + ".json");
  if (fs::exists(path)) {
    try {
      Json old = Json::parse(read_file(path));
      if (old.is_array() && static_cast<int>(old.size()) == points) return old;
    } catch (const Json::exception&) {
      // unreadable: made again below
    }
  }
  auto start = make_model(spec), end = make_model(spec), scratch = make_model(spec);
  load_state_dict(*start, store.weights(start_id));
  load_state_dict(*end, store.weights(end_id));
  place_model(*scratch, compute);
  Json out = Json::array();
  for (const auto& p : linear_path(*start, *end, *scratch, data.train, data.test, data.normalization, compute, points))
    out.push_back({{"alpha", p.alpha}, {"train_loss", p.train.loss}, {"train_acc", p.train.accuracy},
                   {"test_loss", p.test.loss}, {"test_acc", p.test.accuracy}});
  write_json_atomic(path, out);
  fmt::print(stderr, "[path] {} -> {}: {} points\n", start_id, end_id, points);
  return out;
}

Json summary_measures(const Json& m) {
  Json out;
  for (const char* key : {"frobenius", "l1_path", "l2_path", "spectral_log_product", "hessian_top_eig", "fgsm"})
    out[key] = m.value(key, Json());
  return out;
}

}  // namespace bgm
