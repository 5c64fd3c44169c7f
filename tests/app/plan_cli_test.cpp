// `bgm plan`, `bgm run-task` and `bgm report` on a planned study: the plan's tasks, phases and
// Slurm scripts; a task refused before its start is made; the tasks run one by one give the
// very summary and weights of the same study run in one process; one task data-parallel.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bgm/core/files.h"
#include "test_util.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

const char* const kTiny =
    " --threads 2 --width 8 --train-subset 100 --test-subset 50 --replicas 2 --adv-epochs 1 --vanilla-epochs 1"
    " --sota-epochs 1 --sota-schedule cosine:1 --precision fp32 --measures false";

// A summary without what depends on the machine's speed.
nlohmann::json without_times(nlohmann::json j) {
  if (j.is_object()) {
    for (const char* key : {"seconds", "images_per_second"}) j.erase(key);
    for (auto& [key, value] : j.items()) value = without_times(value);
  } else if (j.is_array()) {
    for (auto& value : j) value = without_times(value);
  }
  return j;
}

TEST(PlanCli, WritesTheTasksInPhasesAndTheSlurmArrayScripts) {
  test::TempDir dir;
  const fs::path out = dir.path() / "planned";
  std::string log;
  ASSERT_EQ(test::run_bgm(std::string("plan reproduce") + kTiny + " --seeds 0-1 --out " + out.string() + " --store " +
                              (dir.path() / "store").string() +
                              " --slurm --slurm-throttle 3 --slurm-time 12:00:00 --slurm-cpus 4 --slurm-extra '--account=lab;--qos=low'",
                          &log), 0) << log;
  const auto plan = nlohmann::json::parse(read_file(out / "plan.json"));
  ASSERT_EQ(plan["tasks"].size(), 12u);  // six runs for each of two seeds
  EXPECT_EQ(plan["tasks"][0]["role"], "W0R");
  EXPECT_EQ(plan["tasks"][1]["role"], "W0R");
  EXPECT_EQ(plan["tasks"][1]["seed"], 1);
  EXPECT_EQ(plan["phases"], nlohmann::json::parse(R"([{"first":0,"last":1,"phase":0},{"first":2,"last":7,"phase":1},
                                                       {"first":8,"last":11,"phase":2}])"));
  for (const auto& t : plan["tasks"]) {  // every task after its start, which is in an earlier phase
    if (t["start"] == "") continue;
    const auto& start = plan["tasks"][t["after"][0].get<size_t>()];
    EXPECT_EQ(start["role"], t["start"]);
    EXPECT_EQ(start["seed"], t["seed"]);
    EXPECT_LT(start["phase"], t["phase"]);
  }
  EXPECT_FALSE(fs::exists(out / "summary.json"));
  EXPECT_TRUE(fs::is_empty(dir.path() / "store"));  // nothing trained
  const std::string submit = read_file(out / "slurm" / "submit.sh");
  EXPECT_NE(submit.find("--array=0-1%3 task.sbatch"), std::string::npos) << submit;
  EXPECT_NE(submit.find("--dependency=afterok:$job"), std::string::npos) << submit;
  EXPECT_NE(submit.find("--array=8-11%3"), std::string::npos) << submit;
  EXPECT_NE(submit.find("report.sbatch"), std::string::npos) << submit;
  const std::string task = read_file(out / "slurm" / "task.sbatch");
  for (const char* line : {"#SBATCH --time=12:00:00", "#SBATCH --requeue", "#SBATCH --cpus-per-task=4",
                           "#SBATCH --account=lab", "#SBATCH --qos=low", "run-task", "$SLURM_ARRAY_TASK_ID", "--threads 4"})
    EXPECT_NE(task.find(line), std::string::npos) << line << " in\n" << task;
  const auto config = nlohmann::json::parse(read_file(out / "config.json"));
  EXPECT_EQ(config["invocation"]["argv"][1], "reproduce");  // the study's own command, recorded
}

TEST(PlanCli, BadPlansAreRefused) {
  test::TempDir dir;
  std::string log;
  EXPECT_NE(test::run_bgm("plan toy --out " + (dir.path() / "t").string(), &log), 0);
  EXPECT_NE(log.find("got 'toy', expected one of: reproduce, ablation, rsweep"), std::string::npos) << log;
  EXPECT_NE(test::run_bgm(std::string("reproduce") + kTiny + " --slurm-time 1:00:00 --out " + (dir.path() / "r").string(), &log), 0);
  EXPECT_NE(log.find("--slurm-time: got given without --plan"), std::string::npos) << log;
  EXPECT_NE(test::run_bgm(std::string("plan reproduce") + kTiny + " --slurm --slurm-time soon --out " + (dir.path() / "s").string(), &log), 0);
  EXPECT_NE(log.find("--slurm-time: got 'soon'"), std::string::npos) << log;
  EXPECT_NE(test::run_bgm(std::string("plan reproduce") + kTiny + " --slurm-time 1:00:00 --out " + (dir.path() / "s").string(), &log), 0);
  EXPECT_NE(log.find("--slurm-time: got given without --slurm"), std::string::npos) << log;
  EXPECT_NE(test::run_bgm(std::string("plan reproduce") + kTiny + " --slurm --slurm-gpus 1 --out " + (dir.path() / "s").string(), &log), 0);
  EXPECT_NE(log.find("--slurm-gpus: got 1, expected 0 unless the study runs with --device cuda"), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(dir.path() / "s"));
  EXPECT_NE(test::run_bgm("run-task " + (dir.path() / "nothing").string() + " 0", &log), 0);
  EXPECT_NE(log.find("without config.json"), std::string::npos) << log;
}

TEST(PlanCli, TasksRunOneByOneEqualTheStudyRunInOneProcess) {
  test::TempDir dir;
  const fs::path planned = dir.path() / "planned", local = dir.path() / "local";
  const std::string options = std::string(kTiny) + " --seed 5";
  std::string log;
  ASSERT_EQ(test::run_bgm("plan reproduce" + options + " --out " + planned.string() + " --store " +
                              (dir.path() / "store-a").string(), &log), 0) << log;
  // WVA (task 4) starts from W0A (task 1), which starts from W0R (task 0): refused, naming the
  // first unfinished run of that chain.
  EXPECT_NE(test::run_bgm("run-task " + planned.string() + " 4", &log), 0);
  EXPECT_NE(log.find("run `bgm run-task " + planned.string() + " 0` first"), std::string::npos) << log;
  ASSERT_EQ(test::run_bgm("run-task " + planned.string() + " 0", &log), 0) << log;
  EXPECT_NE(test::run_bgm("run-task " + planned.string() + " 4", &log), 0);
  EXPECT_NE(log.find("task 4 (seed5 WVA) starts from task 1 (seed5 W0A), which is not finished"), std::string::npos) << log;
  EXPECT_NE(test::run_bgm("run-task " + planned.string() + " 6", &log), 0);
  EXPECT_NE(log.find("task index: got 6, expected an index in 0..5"), std::string::npos) << log;
  // The report of an unfinished plan names what is missing.
  EXPECT_NE(test::run_bgm("report " + planned.string(), &log), 0);
  EXPECT_NE(log.find("5 of the plan's 6 runs are not finished: task 1 (seed5 W0A), task 2"), std::string::npos) << log;
  for (int i = 0; i < 6; ++i) ASSERT_EQ(test::run_bgm("run-task " + planned.string() + " " + std::to_string(i), &log), 0) << log;
  ASSERT_EQ(test::run_bgm("run-task " + planned.string() + " 3", &log), 0) << log;  // idempotent
  EXPECT_NE(log.find("finished earlier"), std::string::npos) << log;
  ASSERT_EQ(test::run_bgm("report " + planned.string(), &log), 0) << log;

  ASSERT_EQ(test::run_bgm("reproduce" + options + " --out " + local.string() + " --store " +
                              (dir.path() / "store-b").string(), &log), 0) << log;
  const auto a = nlohmann::json::parse(read_file(planned / "summary.json"));
  const auto b = nlohmann::json::parse(read_file(local / "summary.json"));
  EXPECT_EQ(without_times(a), without_times(b));
  for (const char* role : {"W0R", "W0A", "WVR", "WSR", "WVA", "WSA"})
    EXPECT_EQ(read_file(planned / "weights" / (std::string(role) + ".pt")), read_file(local / "weights" / (std::string(role) + ".pt")))
        << role;
  EXPECT_TRUE(fs::exists(planned / "report.md"));
}

TEST(PlanCli, ATaskTrainsDataParallelOverTwoProcesses) {
  test::TempDir dir;
  const fs::path planned = dir.path() / "planned", store = dir.path() / "store";
  std::string log;
  ASSERT_EQ(test::run_bgm(std::string("plan reproduce") + kTiny + " --out " + planned.string() + " --store " + store.string(), &log), 0)
      << log;
  ASSERT_EQ(test::run_bgm("run-task " + planned.string() + " 0", &log), 0) << log;
  ASSERT_EQ(test::run_bgm("run-task " + planned.string() + " 2 --world-size 2", &log), 0) << log;  // WVR
  EXPECT_NE(log.find("rank 1 of 2"), std::string::npos) << log;
  bool found = false;
  for (const auto& run : fs::directory_iterator(store)) {
    if (run.path().filename().string().find("vanilla-from-W0R") == std::string::npos) continue;
    found = true;
    const auto result = nlohmann::json::parse(read_file(run.path() / "result.json"));
    EXPECT_EQ(result["world_size"], 2);
    EXPECT_EQ(result["epochs"], 1);
    EXPECT_GE(result["train_acc"].get<double>(), 0.0);
    EXPECT_TRUE(fs::exists(run.path() / "weights.pt"));
    EXPECT_FALSE(fs::exists(run.path() / "checkpoint.pt"));
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace bgm
