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
  int path_points = 11;  ///< points on the straight line between a start and its trained run; 0 = none

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

/// Training loss and accuracy and test loss and accuracy along the straight line from the run
/// start_id to the run end_id: [{"alpha", "train_loss", "train_acc", "test_loss", "test_acc"}],
/// kept in end_id's directory (path-from-START.json) and made only once.
nlohmann::json run_path(const RunStore& store, const std::string& start_id, const std::string& end_id,
                        const ModelSpec& spec, const DataSplits& data, const Compute& compute, int points);

/// The fields a study's summary gives every run object: frobenius, l1_path, l2_path,
/// spectral_log_product, hessian_top_eig, fgsm.
nlohmann::json summary_measures(const nlohmann::json& measures);

}  // namespace bgm
