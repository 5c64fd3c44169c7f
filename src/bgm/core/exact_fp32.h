#pragma once
// Measurements promise fp32: on a GPU, cuDNN convolutions and matrix products may otherwise run
// in TF32 (10-bit mantissa, about 1e-3 relative), looser than a power iteration's tolerance.

namespace bgm {

/// Disallows TF32 for cuDNN convolutions and CUDA matrix products while it lives, then restores
/// the previous settings. A no-op on the CPU.
class ExactFp32Scope {
 public:
  ExactFp32Scope();
  ~ExactFp32Scope();
  ExactFp32Scope(const ExactFp32Scope&) = delete;
  ExactFp32Scope& operator=(const ExactFp32Scope&) = delete;

 private:
  bool cudnn_, matmul_;
};

}  // namespace bgm
