#include "bgm/core/exact_fp32.h"

#include <ATen/Context.h>

namespace bgm {

ExactFp32Scope::ExactFp32Scope()
    : cudnn_(at::globalContext().allowTF32CuDNN()), matmul_(at::globalContext().allowTF32CuBLAS()) {
  at::globalContext().setAllowTF32CuDNN(false);
  at::globalContext().setAllowTF32CuBLAS(false);
}

ExactFp32Scope::~ExactFp32Scope() {
  at::globalContext().setAllowTF32CuDNN(cudnn_);
  at::globalContext().setAllowTF32CuBLAS(matmul_);
}

}  // namespace bgm
