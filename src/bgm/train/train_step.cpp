#include "bgm/train/train_step.h"

#include "bgm/data/batches.h"

namespace bgm {

torch::optim::SGD make_sgd(ClassifierImpl& model, const SgdSettings& sgd) {
  return torch::optim::SGD(model.parameters(), torch::optim::SGDOptions(sgd.schedule.lr_at(1))
                                                   .momentum(sgd.momentum)
                                                   .weight_decay(sgd.weight_decay));
}

StepResult sgd_step(ClassifierImpl& model, torch::optim::SGD& opt, const Dataset& set,
                    const std::vector<int64_t>& batch, const Normalization& norm, const SgdSettings& sgd,
                    Rng& augment_rng, const Compute& compute, const DataParallel* parallel) {
  auto index = torch::tensor(batch, torch::kInt64);
  auto raw = set.gather(index);
  if (sgd.augment) raw = augment_crop_flip(raw, augment_rng);
  double weight = 1.0;  // this rank's share of the global batch
  if (parallel) {
    const auto [begin, end] = parallel->share(index.size(0));
    weight = static_cast<double>(end - begin) / static_cast<double>(index.size(0));
    raw = raw.narrow(0, begin, end - begin);
    index = index.narrow(0, begin, end - begin);
  }
  const auto x = to_model_input(raw, norm, compute.device, compute.channels_last);
  const auto y = set.labels.index_select(0, index).to(compute.device);
  opt.zero_grad();
  torch::Tensor logits;
  {
    AutocastScope autocast(compute);
    logits = model.forward(x);
  }
  auto loss = torch::nn::functional::cross_entropy(logits.to(torch::kFloat32), y);
  if (parallel) {
    loss = loss * weight;
    loss.backward();
    parallel->sum_gradients(model);
  } else {
    loss.backward();
  }
  opt.step();
  return {loss.detach(), logits.detach().argmax(1).eq(y).sum()};
}

}  // namespace bgm
