// The bgm program killed for real - SIGKILL at moments the test does not choose, SIGTERM - and
// resumed, against the same study left alone: the weights of every run must be bitwise equal.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <thread>

#include "bgm/core/files.h"
#include "bgm/models/model_state.h"
#include "test_util.h"

namespace bgm {
namespace {

namespace fs = std::filesystem;

// 100 images in batches of 16: 6 steps an epoch, W0A on 200 images 12; a few seconds in all.
const char* const kStudy =
    " reproduce --threads 1 --width 4 --train-subset 100 --test-subset 50 --replicas 2 --batch-size 16"
    " --adv-epochs 4 --vanilla-epochs 3 --vanilla-target -1 --sota-epochs 3 --sota-schedule cosine:3"
    " --measures false --precision fp32";

std::string study_args(const fs::path& root) {
  return std::string(kStudy) + " --out " + (root / "study").string() + " --store " + (root / "store").string();
}

bool any_checkpoint(const fs::path& store) {
  if (!fs::exists(store)) return false;
  for (const auto& run : fs::directory_iterator(store))
    if (fs::exists(run.path() / "checkpoint.pt")) return true;
  return false;
}

// Waits until some run has saved a checkpoint (or the process ended), then `extra` longer.
void wait_for_checkpoint(const fs::path& store, int pid, std::chrono::milliseconds extra) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!any_checkpoint(store) && std::chrono::steady_clock::now() < deadline && ::kill(pid, 0) == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(extra);
}

void expect_same_weights(const fs::path& a, const fs::path& b) {
  for (const char* role : {"W0R", "W0A", "WVR", "WSR", "WVA", "WSA"}) {
    const auto wa = read_state_dict(a / "study" / "weights" / (std::string(role) + ".pt"));
    const auto wb = read_state_dict(b / "study" / "weights" / (std::string(role) + ".pt"));
    ASSERT_EQ(wa.size(), wb.size()) << role;
    for (size_t i = 0; i < wa.size(); ++i) EXPECT_TRUE(wa[i].second.equal(wb[i].second)) << role << " " << wa[i].first;
  }
  const auto sa = nlohmann::json::parse(read_file(a / "study" / "summary.json"));
  const auto sb = nlohmann::json::parse(read_file(b / "study" / "summary.json"));
  EXPECT_EQ(sa["distances"], sb["distances"]);
  for (const char* role : {"W0A", "WVR", "WSR", "WVA", "WSA"})
    for (const char* key : {"train_acc", "test_acc", "train_loss", "test_loss", "epochs"})
      EXPECT_EQ(sa["runs"][role][key], sb["runs"][role][key]) << role << "." << key;
}

}  // namespace

TEST(ResumeCli, KilledAtAnyMomentAndResumedEndsWithBitwiseTheSameWeights) {
  test::TempDir straight, killed;
  std::string log;
  ASSERT_EQ(test::run_bgm(study_args(straight.path()), &log), 0) << log;

  // SIGKILL three times at growing delays after a checkpoint appeared, then let it finish.
  int kills = 0;
  for (int delay_ms : {0, 150, 400}) {
    const int pid = test::spawn_bgm(study_args(killed.path()), killed.path() / "log.txt");
    wait_for_checkpoint(killed.path() / "store", pid, std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    if (test::wait_bgm(pid) == 128 + SIGKILL) ++kills;
  }
  EXPECT_GE(kills, 1);
  ASSERT_EQ(test::run_bgm(study_args(killed.path()), &log), 0) << log;
  EXPECT_NE(log.find("resuming from"), std::string::npos) << log;
  expect_same_weights(straight.path(), killed.path());
  // A finished run keeps no checkpoint.
  EXPECT_FALSE(any_checkpoint(killed.path() / "store"));
}

TEST(ResumeCli, SigtermSavesTheStateAndResumeDirFinishesTheStudy) {
  test::TempDir straight, stopped;
  std::string log;
  ASSERT_EQ(test::run_bgm(study_args(straight.path()), &log), 0) << log;

  const int pid = test::spawn_bgm(study_args(stopped.path()), stopped.path() / "log.txt");
  wait_for_checkpoint(stopped.path() / "store", pid, std::chrono::milliseconds(50));
  ::kill(pid, SIGTERM);
  const int status = test::wait_bgm(pid);
  const std::string stop_log = read_file(stopped.path() / "log.txt");
  if (status != 0) {  // 0 only if the study had already finished
    EXPECT_EQ(status, 128 + SIGTERM) << stop_log;
    EXPECT_NE(stop_log.find("stopped by signal 15"), std::string::npos) << stop_log;
    EXPECT_TRUE(any_checkpoint(stopped.path() / "store"));
  }
  ASSERT_EQ(test::run_bgm("resume " + (stopped.path() / "study").string(), &log), 0) << log;
  expect_same_weights(straight.path(), stopped.path());
}

TEST(ResumeCli, ResumeRefusesADirectoryThatIsNotAStudy) {
  test::TempDir dir;
  std::string log;
  EXPECT_EQ(test::run_bgm("resume " + dir.path().string(), &log), 1);
  EXPECT_NE(log.find("a directory without config.json"), std::string::npos) << log;
}

}  // namespace bgm
