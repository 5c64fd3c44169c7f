#include "bgm/measure/evaluate.h"

#include "bgm/data/batches.h"

namespace bgm {

EvalResult evaluate(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                    const Compute& requested, int64_t batch_size) {
  return evaluate(model, set, norm, requested, batch_size, nullptr);
}

namespace {

// The sums over images [begin, end), appending each batch's logits to *logits_out if given.
EvalSums evaluate_sums(ClassifierImpl& model, const Dataset& set, const Normalization& norm, const Compute& requested,
                       int64_t begin, int64_t end, int64_t batch_size, std::vector<torch::Tensor>* logits_out) {
  const Compute compute = compute_for(model, requested);
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  // Sums stay on the device: one synchronisation at the end, not one per batch.
  EvalSums sums{torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(compute.device)),
                torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(compute.device))};
  for (int64_t start = begin; start < end; start += batch_size) {
    const int64_t len = std::min(batch_size, end - start);
    auto x = to_model_input(set.slice(start, len), norm, compute.device, compute.channels_last);
    auto y = set.labels.narrow(0, start, len).to(compute.device);
    torch::Tensor logits;
    {
      AutocastScope autocast(compute);
      logits = model.forward(x);
    }
    logits = logits.to(torch::kFloat32);
    sums.loss_sum += torch::nn::functional::cross_entropy(
                         logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                         .to(torch::kFloat64);
    sums.correct += logits.argmax(1).eq(y).sum();
    if (logits_out) logits_out->push_back(logits.cpu());
  }
  model.train(was_training);
  return sums;
}

}  // namespace

EvalSums evaluate_part(ClassifierImpl& model, const Dataset& set, const Normalization& norm, const Compute& compute,
                       int64_t begin, int64_t end, int64_t batch_size) {
  return evaluate_sums(model, set, norm, compute, begin, end, batch_size, nullptr);
}

EvalResult eval_result(double loss_sum, int64_t correct, int64_t examples) {
  EvalResult r;
  r.examples = examples;
  if (examples > 0) {
    r.loss = loss_sum / static_cast<double>(examples);
    r.accuracy = 100.0 * static_cast<double>(correct) / static_cast<double>(examples);
  }
  return r;
}

EvalResult evaluate(ClassifierImpl& model, const Dataset& set, const Normalization& norm, const Compute& requested,
                    int64_t batch_size, torch::Tensor* logits_out) {
  std::vector<torch::Tensor> all_logits;
  const EvalSums sums =
      evaluate_sums(model, set, norm, requested, 0, set.size(), batch_size, logits_out ? &all_logits : nullptr);
  if (logits_out) *logits_out = all_logits.empty() ? torch::empty({0, 0}) : torch::cat(all_logits);
  return eval_result(sums.loss_sum.item<double>(), sums.correct.item<int64_t>(), set.size());
}

nlohmann::json to_json(const EvalResult& r) {
  return {{"loss", r.loss}, {"accuracy", r.accuracy}, {"examples", r.examples}};
}

}  // namespace bgm
