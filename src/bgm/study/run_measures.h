#pragma once
// The measurements of one finished run, made from its stored weights (measure/ does the
// mathematics; this decides what is measured on which data and keeps the result): Frobenius
// norm (all and per layer), l1 and l2 path norms, layer spectral norms, the top Hessian
// eigenvalue of the training loss, and FGSM test accuracy per eps. Written to the run's
// measures.json with the settings used, and made again only when the settings change.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bgm/core/compute.h"
#include "bgm/data/dataset.h"
#include "bgm/models/model_zoo.h"
#include "bgm/study/run_store.h"

namespace bgm {

struct MeasureConfig {
  bool enabled = true;
  std::vector<int> fgsm_eps = {0, 1, 2, 4, 8};  ///< in units of 1/255
  int64_t hessian_images = 256;  ///< a fixed class-balanced subset of the training set; 0 = skip
  int hessian_iterations = 20;
  int spectral_iterations = 50;

  /// Throws bgm::Error naming the first invalid field and its value.
  void validate() const;
  nlohmann::json to_json() const;
};

/// The run's measures.json (computed now if absent or made with other settings): {"settings",
/// "frobenius", "layer_frobenius": {layer: norm}, "l1_path", "l2_path", "spectral_log_product",
/// "spectral_layers": {layer: norm}, "hessian_top_eig", "hessian_iterations", "fgsm": {"eps":
/// test accuracy %}}. Measured in fp32 (FGSM and the Hessian need gradients in fp32 anyway).
nlohmann::json run_measures(const RunStore& store, const std::string& id, const ModelSpec& spec,
                            const DataSplits& data, const Compute& compute, const MeasureConfig& config);

/// The fields a study's summary gives every run object: frobenius, l1_path, l2_path,
/// spectral_log_product, hessian_top_eig, fgsm.
nlohmann::json summary_measures(const nlohmann::json& measures);

}  // namespace bgm
