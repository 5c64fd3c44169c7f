#include "bgm/measure/flops.h"

#include <ATen/record_function.h>

#include <cstring>

#include "bgm/core/error.h"

namespace bgm {
namespace {

std::vector<int64_t> shape(const c10::IValue& v) { return v.isTensor() ? v.toTensor().sizes().vec() : std::vector<int64_t>{}; }

std::vector<int64_t> ints(const c10::IValue& v) { return v.isIntList() ? v.toIntVector() : std::vector<int64_t>{}; }

// aten::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
// groups): 2 * N * C_out * prod(out spatial) * (C_in / groups) * prod(kernel).
double convolution_flops(c10::ArrayRef<const c10::IValue> in) {
  const auto x = shape(in[0]), w = shape(in[1]);
  const auto stride = ints(in[3]), padding = ints(in[4]), dilation = ints(in[5]);
  const bool transposed = in[6].toBool();
  if (transposed) throw Error("count_forward_flops: transposed convolutions are not counted");
  const size_t spatial = w.size() - 2;
  if (x.size() != w.size() || stride.size() != spatial || padding.size() != spatial || dilation.size() != spatial)
    throw Error("count_forward_flops: an aten::convolution call whose arguments have unexpected shapes");
  double per_output = 2.0 * static_cast<double>(w[1]);  // C_in / groups
  double outputs = static_cast<double>(x[0] * w[0]);    // N * C_out
  for (size_t d = 2; d < w.size(); ++d) {
    const size_t i = d - 2;
    const int64_t out = (x[d] + 2 * padding[i] - dilation[i] * (w[d] - 1) - 1) / stride[i] + 1;
    outputs *= static_cast<double>(out);
    per_output *= static_cast<double>(w[d]);
  }
  return outputs * per_output;
}

// addmm(bias, a, b), mm(a, b), bmm(a, b) with a (.., M, K) and b (.., K, N): 2 * .. * M * K * N.
double matrix_product_flops(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  double f = 2.0 * static_cast<double>(b[b.size() - 2] * b[b.size() - 1]);
  for (size_t d = 0; d + 1 < a.size(); ++d) f *= static_cast<double>(a[d]);
  return f;
}

// The count the observer adds to, for this thread only; set while count_forward_flops runs.
thread_local ForwardFlops* current = nullptr;

std::unique_ptr<at::ObserverContext> observe(const at::RecordFunction& fn) {
  if (!current) return nullptr;
  const char* name = fn.name();
  const auto in = fn.inputs();
  if (std::strcmp(name, "aten::convolution") == 0) {
    current->flops += convolution_flops(in);
    current->convolutions += 1;
  } else if (std::strcmp(name, "aten::addmm") == 0) {
    current->flops += matrix_product_flops(shape(in[1]), shape(in[2]));
    current->matrix_products += 1;
  } else if (std::strcmp(name, "aten::mm") == 0 || std::strcmp(name, "aten::bmm") == 0) {
    current->flops += matrix_product_flops(shape(in[0]), shape(in[1]));
    current->matrix_products += 1;
  }
  return nullptr;
}

// Registers the observer for its lifetime (also when the forward pass throws).
class Observer {
 public:
  explicit Observer(ForwardFlops& count)
      : handle_(at::addThreadLocalCallback(
            at::RecordFunctionCallback(observe).needsInputs(true).scopes({at::RecordScope::FUNCTION}))) {
    current = &count;
  }
  ~Observer() {
    current = nullptr;
    at::removeCallback(handle_);
  }
  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;

 private:
  at::RecordFunctionGuard enable_{true};
  at::CallbackHandle handle_;
};

}  // namespace

ForwardFlops count_forward_flops(ClassifierImpl& model, const std::vector<int64_t>& example) {
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::zeros(example);
  ForwardFlops count;
  {
    Observer observer(count);
    model.forward(x);
  }
  model.train(was_training);
  return count;
}

}  // namespace bgm
