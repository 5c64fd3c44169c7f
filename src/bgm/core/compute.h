#pragma once
// Where and how tensors are computed: device, precision and memory layout. Shared by training
// and measurement so both run a model the same way.
#include <torch/torch.h>

#include <string>

namespace bgm {

enum class Precision { kFp32, kBf16 };

struct Compute {
  torch::Device device = torch::kCPU;
  Precision precision = Precision::kFp32;
  bool channels_last = true;  ///< NHWC activations: the faster layout for oneDNN and cuDNN
};

/// "cpu", "cuda" or "cuda:N"; throws bgm::Error naming --device otherwise or if CUDA is absent.
/// With require_gpu false (planning a study on a login node) "cuda" is accepted without a
/// visible GPU.
torch::Device parse_device(const std::string& text, bool require_gpu = true);
/// "cpu" or "cuda": what a study or run records of its device. Which GPU is how it is run (each
/// rank of a data-parallel run has its own), not what it computes.
std::string device_kind(torch::Device device);
/// "fp32", "bf16" or "auto" (bf16 on CUDA and on CPUs with native bf16 instructions, else
/// fp32); throws bgm::Error naming --precision otherwise. Warns on stderr when bf16 is asked
/// for on a CPU without native bf16, where it runs slower than fp32.
Precision parse_precision(const std::string& text, torch::Device device);
std::string to_string(Precision p);

/// True if this CPU has native bfloat16 instructions (AVX512-BF16 or AMX); bf16 autocast on a
/// CPU without them is slower than fp32.
bool cpu_has_native_bf16();

/// Smallest conv output width for which channels-last runs on the CPU. Debian's LibTorch 1.13
/// (oneDNN 2.x) corrupts the heap in the channels-last convolution backward on AVX2 CPUs when a
/// conv has fewer than 8 output channels (seen for ResNet18 widths 2, 4 and 6; 8 and up are fine).
constexpr int64_t kMinChannelsLastConvWidth = 8;

/// True if every Conv2d of the model is wide enough for channels-last on this device.
bool channels_last_safe(const torch::nn::Module& model, torch::Device device);

/// The compute settings to use for this model: channels-last switched off where it is unsafe.
Compute compute_for(const torch::nn::Module& model, const Compute& compute);

/// Moves a model to the compute's device and memory layout (weights stay fp32).
void place_model(torch::nn::Module& model, const Compute& compute);

/// Enables bf16 autocast for its lifetime when compute.precision is kBf16, on CPU or CUDA, and
/// restores the previous state on exit (scopes nest, as Python's torch.autocast does). The
/// outermost scope clears the autocast weight cache: weights change in place after every step.
class AutocastScope {
 public:
  explicit AutocastScope(const Compute& compute);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  bool cuda_ = false;
  bool previous_enabled_ = false;
  at::ScalarType previous_dtype_ = at::kBFloat16;
};

}  // namespace bgm
