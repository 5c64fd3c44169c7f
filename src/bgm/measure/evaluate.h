#pragma once
// Accuracy and mean per-example loss of a model on a data set, in eval mode, un-augmented.
#include <nlohmann/json.hpp>

#include "bgm/core/compute.h"
#include "bgm/data/dataset.h"
#include "bgm/models/classifier.h"

namespace bgm {

struct EvalResult {
  double loss = 0;      ///< mean per-example cross-entropy (nats); not the reference's loss / 128
  double accuracy = 0;  ///< percent correct, 0..100
  int64_t examples = 0;
};

/// {"loss", "accuracy", "examples"} (a non-finite loss is null in JSON).
nlohmann::json to_json(const EvalResult& r);

/// Evaluates in eval mode without gradients (the model's train/eval mode is restored after).
/// The default batch keeps activations in cache: on a 2-core AVX2 CPU, ResNet18 width 16 ran
/// 1,200-1,700 images/s at batches 64-256 against 700-950 at 500-1,000.
EvalResult evaluate(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                    const Compute& compute, int64_t batch_size = 128);

/// The summed loss and right predictions over images [begin, end) of the set, left on the
/// compute device: the part of an evaluation that one process of several makes (the trainer
/// sums the parts of a data-parallel group).
struct EvalSums {
  torch::Tensor loss_sum;  ///< float64 scalar
  torch::Tensor correct;   ///< int64 scalar
};
EvalSums evaluate_part(ClassifierImpl& model, const Dataset& set, const Normalization& norm, const Compute& compute,
                       int64_t begin, int64_t end, int64_t batch_size = 128);
/// The mean loss and accuracy over `examples` images from their sums.
EvalResult eval_result(double loss_sum, int64_t correct, int64_t examples);

/// evaluate(), also returning every image's logits in *logits: (N, classes) float32 on the CPU,
/// in the set's order.
EvalResult evaluate(ClassifierImpl& model, const Dataset& set, const Normalization& norm, const Compute& compute,
                    int64_t batch_size, torch::Tensor* logits);

}  // namespace bgm
