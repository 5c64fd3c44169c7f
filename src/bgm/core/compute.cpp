#include "bgm/core/compute.h"

#include <ATen/autocast_mode.h>

#include <fstream>
#include <iostream>

#include "bgm/core/error.h"

namespace bgm {

std::string device_kind(torch::Device device) { return device.is_cuda() ? "cuda" : "cpu"; }

torch::Device parse_device(const std::string& text, bool require_gpu) {
  if (text == "cpu") return torch::kCPU;
  if (text.rfind("cuda", 0) == 0) {
    if (require_gpu && !torch::cuda::is_available())
      throw input_error("--device", "'" + text + "'",
                        "cpu: this LibTorch has no CUDA or no GPU is visible");
    try {
      return torch::Device(text);
    } catch (const std::exception&) {
    }
  }
  throw input_error("--device", "'" + text + "'", "cpu, cuda or cuda:N");
}

Precision parse_precision(const std::string& text, torch::Device device) {
  const bool native = device.is_cuda() || cpu_has_native_bf16();
  if (text == "fp32") return Precision::kFp32;
  if (text == "auto") return native ? Precision::kBf16 : Precision::kFp32;
  if (text == "bf16") {
    if (!native)
      std::cerr << "bgm: warning: this CPU has no native bf16 instructions (avx512_bf16/amx_bf16); "
                   "--precision bf16 will likely be slower than fp32\n";
    return Precision::kBf16;
  }
  throw input_error("--precision", "'" + text + "'", "fp32, bf16 or auto");
}

std::string to_string(Precision p) { return p == Precision::kBf16 ? "bf16" : "fp32"; }

bool cpu_has_native_bf16() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0)
      return line.find(" avx512_bf16") != std::string::npos ||
             line.find(" amx_bf16") != std::string::npos;
  return false;
}

bool channels_last_safe(const torch::nn::Module& model, torch::Device device) {
  if (!device.is_cpu()) return true;
  for (const auto& m : model.modules(/*include_self=*/true))
    if (const auto* conv = m->as<torch::nn::Conv2d>())
      if (conv->options.out_channels() < kMinChannelsLastConvWidth) return false;
  return true;
}

Compute compute_for(const torch::nn::Module& model, const Compute& compute) {
  Compute c = compute;
  c.channels_last = compute.channels_last && channels_last_safe(model, compute.device);
  return c;
}

void place_model(torch::nn::Module& model, const Compute& requested) {
  const Compute compute = compute_for(model, requested);
  model.to(compute.device);
  if (!compute.channels_last) return;
  torch::NoGradGuard no_grad;
  // Module::to has no memory-format overload in LibTorch; convert 4-d weights in place.
  for (auto& p : model.parameters())
    if (p.dim() == 4) p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));
}

AutocastScope::AutocastScope(const Compute& compute) {
  if (compute.precision != Precision::kBf16) return;
  active_ = true;
  cuda_ = compute.device.is_cuda();
  if (cuda_) {
    previous_enabled_ = at::autocast::is_enabled();
    previous_dtype_ = at::autocast::get_autocast_gpu_dtype();
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(true);
  } else {
    previous_enabled_ = at::autocast::is_cpu_enabled();
    previous_dtype_ = at::autocast::get_autocast_cpu_dtype();
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::set_cpu_enabled(true);
  }
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  if (cuda_) {
    at::autocast::set_enabled(previous_enabled_);
    at::autocast::set_autocast_gpu_dtype(previous_dtype_);
  } else {
    at::autocast::set_cpu_enabled(previous_enabled_);
    at::autocast::set_autocast_cpu_dtype(previous_dtype_);
  }
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
}

}  // namespace bgm
