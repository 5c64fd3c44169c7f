#include "bgm/core/build_info.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <fstream>
#include <string>

namespace bgm {
namespace {

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  }
  return "unknown";
}

}  // namespace

nlohmann::json build_info_json() {
  return {
      {"bgm_version", BGM_VERSION},
      {"git_commit", kGitCommit},
      {"compiler", kCompiler},
      {"build_type", kBuildType},
      {"libtorch_version", TORCH_VERSION},
      {"mkldnn", at::hasMKLDNN()},
      {"cuda_available", torch::cuda::is_available()},
      {"threads", at::get_num_threads()},
      {"cpu", cpu_model_name()},
  };
}

}  // namespace bgm
