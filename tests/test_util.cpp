#include "test_util.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <random>

#include <png.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bgm/core/random.h"
#include "bgm/data/image_encode.h"

namespace bgm::test {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("bgm_test_" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string encode_png(const std::vector<uint8_t>& rgb, int width, int height) {
  return bgm::encode_png(RgbImage{width, height, rgb});
}

std::string encode_png_as(const std::vector<uint8_t>& pixels, int width, int height, uint32_t format,
                          const std::vector<uint8_t>& colormap) {
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(width);
  png.height = static_cast<png_uint_32>(height);
  png.format = format;
  png.colormap_entries = static_cast<png_uint_32>(colormap.size() / 3);
  png_alloc_size_t size = 0;
  const void* cmap = colormap.empty() ? nullptr : colormap.data();
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, pixels.data(), 0, cmap)) return {};
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&png, out.data(), &size, 0, pixels.data(), 0, cmap)) return {};
  out.resize(size);
  return out;
}

Dataset synthetic_dataset(int64_t n, int classes, uint64_t seed) {
  Rng rng(seed);
  Dataset ds;
  ds.images = torch::empty({n, kImageSide, kImageSide, kImageChannels}, torch::kUInt8);
  ds.labels = torch::empty({n}, torch::kInt64);
  auto* p = ds.images.data_ptr<uint8_t>();
  for (int64_t i = 0; i < n * kImageEntries; ++i) p[i] = static_cast<uint8_t>(1 + rng.below(255));
  for (int64_t i = 0; i < n; ++i) ds.labels[i] = i % classes;
  for (int c = 0; c < classes; ++c) ds.class_names.push_back("class" + std::to_string(c));
  return ds;
}

int run_bgm(const std::string& args, std::string* output) {
  std::string cmd = std::string(BGM_EXECUTABLE) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf;
  output->clear();
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), pipe)) > 0) output->append(buf.data(), got);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int spawn_bgm(const std::string& args, const std::filesystem::path& log) {
  // exec: the shell becomes bgm, so the id is bgm's own and a signal reaches it.
  const std::string cmd = "exec " + std::string(BGM_EXECUTABLE) + " " + args + " > '" + log.string() + "' 2>&1";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

int wait_bgm(int pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::map<std::string, std::filesystem::file_time_type> result_times(const std::filesystem::path& store) {
  std::map<std::string, std::filesystem::file_time_type> t;
  for (const auto& e : std::filesystem::directory_iterator(store))
    t[e.path().filename()] = std::filesystem::last_write_time(e.path() / "result.json");
  return t;
}

}  // namespace bgm::test
