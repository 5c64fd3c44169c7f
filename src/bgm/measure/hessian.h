#pragma once
// The sharpness of a minimum beyond the paper: the top eigenvalue of the Hessian of the
// training loss with respect to all trainable parameters, by power iteration on exact
// Hessian-vector products (double backward) over a fixed set of training images.
#include "bgm/core/compute.h"
#include "bgm/data/dataset.h"
#include "bgm/models/classifier.h"

namespace bgm {

struct HessianEigen {
  double eigenvalue = 0;  ///< the eigenvalue of largest magnitude (the top one at a minimum)
  int iterations = 0;
  bool converged = false;
};

/// The loss is the mean cross-entropy over `set` in eval mode (BN with its running statistics,
/// so the loss is a function of the weights alone), in fp32. Stops when the Rayleigh quotient
/// changes by less than `tolerance` (relative) or after `iterations`; the start vector is drawn
/// from `seed`. Parameters' .grad and the train/eval mode are unchanged afterwards.
HessianEigen hessian_top_eigenvalue(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                                    const Compute& compute, int iterations = 20, double tolerance = 1e-3,
                                    uint64_t seed = 0, int64_t batch_size = 128);

/// H v for the loss above (exposed for tests that build the Hessian column by column).
std::vector<torch::Tensor> hessian_vector_product(ClassifierImpl& model, const Dataset& set, const Normalization& norm,
                                                  const Compute& compute, const std::vector<torch::Tensor>& v,
                                                  int64_t batch_size = 128);

}  // namespace bgm
