#include "bgm/measure/evaluate.h"

#include "bgm/data/batches.h"

namespace bgm {

EvalResult evaluate(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                    const Compute& requested, int64_t batch_size) {
  return evaluate(model, set, norm, requested, batch_size, nullptr);
}

EvalResult evaluate(ClassifierImpl& model, const Dataset& set, const Normalization& norm, const Compute& requested,
                    int64_t batch_size, torch::Tensor* logits_out) {
  const Compute compute = compute_for(model, requested);
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  // Sums stay on the device: one synchronisation at the end, not one per batch.
  auto loss_sum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(compute.device));
  auto correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(compute.device));
  std::vector<torch::Tensor> all_logits;
  for (int64_t start = 0; start < set.size(); start += batch_size) {
    const int64_t len = std::min(batch_size, set.size() - start);
    auto x = to_model_input(set.slice(start, len), norm, compute.device, compute.channels_last);
    auto y = set.labels.narrow(0, start, len).to(compute.device);
    torch::Tensor logits;
    {
      AutocastScope autocast(compute);
      logits = model.forward(x);
    }
    logits = logits.to(torch::kFloat32);
    loss_sum += torch::nn::functional::cross_entropy(
                    logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .to(torch::kFloat64);
    correct += logits.argmax(1).eq(y).sum();
    if (logits_out) all_logits.push_back(logits.cpu());
  }
  if (logits_out) *logits_out = all_logits.empty() ? torch::empty({0, 0}) : torch::cat(all_logits);
  model.train(was_training);
  EvalResult r;
  r.examples = set.size();
  if (r.examples > 0) {
    r.loss = loss_sum.item<double>() / static_cast<double>(r.examples);
    r.accuracy = 100.0 * static_cast<double>(correct.item<int64_t>()) / static_cast<double>(r.examples);
  }
  return r;
}

nlohmann::json to_json(const EvalResult& r) {
  return {{"loss", r.loss}, {"accuracy", r.accuracy}, {"examples", r.examples}};
}

}  // namespace bgm
