// Runs the bgm program itself: a one-epoch study on a tiny subset, and the bad-input paths.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "bgm/core/files.h"
#include "test_util.h"

namespace bgm {
namespace {

const char* const kTiny =
    " reproduce --threads 2 --width 4 --train-subset 100 --test-subset 50 --replicas 2"
    " --adv-epochs 1 --vanilla-epochs 1 --sota-epochs 1 --sota-schedule cosine:1"
    " --hessian-images 32 --hessian-iterations 2 --precision fp32";

}  // namespace

TEST(ReproduceCli, OneEpochSmokeRunWritesEveryResult) {
  test::TempDir dir;
  const auto out = dir.path() / "study";
  std::string log;
  ASSERT_EQ(test::run_bgm(std::string(kTiny) + " --seed 3 --out " + out.string() + " --store " +
                              (dir.path() / "store").string(), &log), 0) << log;

  const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  EXPECT_EQ(summary["preset"], "quick");
  EXPECT_EQ(summary["dataset"], "cifar10");
  EXPECT_EQ(summary["model"], "resnet18");
  EXPECT_EQ(summary["width"], 4);
  EXPECT_EQ(summary["seed"], 3);
  for (const char* run : {"W0R", "W0A", "WVR", "WSR", "WVA", "WSA"}) {
    const auto& r = summary["runs"][run];
    for (const char* key : {"train_acc", "test_acc", "train_loss", "test_loss", "epochs", "seconds"})
      EXPECT_TRUE(r.contains(key)) << run << "." << key;
    EXPECT_GE(r["test_acc"].get<double>(), 0.0);
    EXPECT_LE(r["test_acc"].get<double>(), 100.0);
    EXPECT_TRUE(std::filesystem::exists(out / "weights" / (std::string(run) + ".pt"))) << run;
    EXPECT_TRUE(std::filesystem::exists(out / "metrics" / (std::string(run) + ".csv"))) << run;
  }
  EXPECT_TRUE(summary["runs"]["W0A"].contains("random_label_train_acc"));
  // Every model is measured; FGSM at eps 0 is the clean test accuracy.
  for (const char* run : {"W0R", "W0A", "WVR", "WSR", "WVA", "WSA"}) {
    const auto& r = summary["runs"][run];
    for (const char* key : {"frobenius", "l1_path", "l2_path", "spectral_log_product", "hessian_top_eig"})
      EXPECT_TRUE(r[key].is_number()) << run << "." << key << " = " << r[key];
    for (const char* eps : {"0", "1", "2", "4", "8"}) EXPECT_TRUE(r["fgsm"][eps].is_number()) << run << " eps " << eps;
    EXPECT_DOUBLE_EQ(r["fgsm"]["0"].get<double>(), r["test_acc"].get<double>()) << run;
    EXPECT_GT(r["frobenius"].get<double>(), 0.0);
  }
  EXPECT_EQ(summary["runs"]["W0A"]["adversarial_set_images"], 200);
  for (const char* d : {"d(W0R,WVR)", "d(W0R,WSR)", "d(W0R,W0A)", "d(W0R,WVA)", "d(W0R,WSA)",
                        "d(W0A,WVA)", "d(W0A,WSA)"}) {
    ASSERT_TRUE(summary["distances"].contains(d)) << d;
    EXPECT_GT(summary["distances"][d].get<double>(), 0.0) << d;
  }
  // The file keeps the key order, runs and distances in the paper's order.
  const auto ordered = nlohmann::ordered_json::parse(read_file(out / "summary.json"));
  std::vector<std::string> keys, runs, distances;
  for (const auto& [k, v] : ordered.items()) keys.push_back(k);
  for (const auto& [k, v] : ordered["runs"].items()) runs.push_back(k);
  for (const auto& [k, v] : ordered["distances"].items()) distances.push_back(k);
  // Issue 2's keys, then the straight paths of the measures.
  EXPECT_EQ(keys, (std::vector<std::string>{"preset", "dataset", "model", "width", "seed", "runs", "distances", "paths"}));
  ASSERT_EQ(summary["paths"]["W0A->WVA"].size(), 11u);
  EXPECT_EQ(summary["paths"]["W0A->WVA"][0]["train_acc"], summary["runs"]["W0A"]["train_acc"]);  // alpha 0 is W0A
  EXPECT_EQ(summary["paths"]["W0A->WVA"][10]["test_acc"], summary["runs"]["WVA"]["test_acc"]);   // alpha 1 is WVA
  EXPECT_DOUBLE_EQ(summary["paths"]["W0R->WVR"][5]["alpha"].get<double>(), 0.5);
  EXPECT_EQ(runs, (std::vector<std::string>{"W0R", "W0A", "WVR", "WSR", "WVA", "WSA"}));
  EXPECT_EQ(distances.front(), "d(W0R,WVR)");
  EXPECT_EQ(distances.back(), "d(W0A,WSA)");
  // W0R's metrics: the header and one untrained row at epoch 0.
  const auto w0r_csv = read_file(out / "metrics" / "W0R.csv");
  EXPECT_EQ(std::count(w0r_csv.begin(), w0r_csv.end(), '\n'), 2);
  EXPECT_NE(w0r_csv.find("\n0,,,,"), std::string::npos) << w0r_csv;

  const auto config = nlohmann::json::parse(read_file(out / "config.json"));
  EXPECT_EQ(config["study"]["seeds"], nlohmann::json::array({3}));
  EXPECT_TRUE(config["build"].contains("git_commit"));
  EXPECT_NE(read_file(out / "report.md").find("| WVA |"), std::string::npos);
  EXPECT_NE(log.find("[sota-from-W0A-R2] epoch   1/1"), std::string::npos) << log;  // progress lines
  // Every run's directory in the store is linked from the study.
  EXPECT_TRUE(std::filesystem::exists(out / "runs" / "seed3" / "WSA" / "result.json"));
  const auto csv = read_file(out / "metrics" / "WVR.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);  // header + one row per epoch
  EXPECT_EQ(config["build"]["threads"], 2);
}

// One test per model: each takes about 30 s on one thread, together they outgrew one test's time limit.
class EveryModel : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryModel, OfTheZooRunsTheStudy) {
  {
    const char* model = GetParam();
    test::TempDir dir;
    const auto out = dir.path() / "study";
    std::string log;
    // One thread: this test runs beside others, and two 2-thread processes on 2 cores make
    // every small operation wait at its barriers.
    std::string one_thread = kTiny;
    one_thread.replace(one_thread.find("--threads 2"), 11, "--threads 1");
    ASSERT_EQ(test::run_bgm(one_thread + " --model " + model + " --width 8 --out " + out.string() +
                                " --store " + (dir.path() / "store").string(), &log), 0)
        << model << "\n" << log;
    const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
    EXPECT_EQ(summary["model"], model);
    EXPECT_GT(summary["distances"]["d(W0A,WSA)"].get<double>(), 0.0) << model;
    // The measures find every layer of every architecture (DenseNet's concatenations, VGG's pools).
    EXPECT_TRUE(summary["runs"]["WSA"]["spectral_log_product"].is_number()) << model;
    EXPECT_GT(summary["runs"]["WSA"]["l1_path"].get<double>(), 0.0) << model;
  }
}

INSTANTIATE_TEST_SUITE_P(ReproduceCli, EveryModel, ::testing::Values("resnet50", "vgg16", "densenet40"),
                         [](const ::testing::TestParamInfo<const char*>& info) { return std::string(info.param); });

TEST(ReproduceCli, BadInputFailsWithOneLineAndWritesNothing) {
  test::TempDir dir;
  const auto out = dir.path() / "never";
  struct Case {
    std::string args, expected;
  };
  const Case cases[] = {
      {"--preset fast", "--preset: got 'fast', expected one of: quick (= cpu), cpu, paper"},
      {"--preset paper", "--preset paper: got no --data"},
      {"--data " + (dir.path() / "nope").string(), "a missing path"},
      {"--data " + dir.path().string(), "an empty directory"},
      {"--device tpu", "--device: got 'tpu'"},
      {"--precision fp8", "--precision: got 'fp8', expected fp32, bf16 or auto"},
      {"--replicas 0", "--replicas: Value 0 not in range"},
      {"--sota-schedule linear", "--sota-schedule: got 'linear'"},
      {"--train-subset 6000", "--train-subset 6000"},
      {"--seeds 1-", "--seeds: got '1-'"},
      {"--fgsm-eps 0,300", "--fgsm-eps: Value 300 not in range"},
      {"--seed 1 --seeds 2", "--seed: got given with --seeds"},
  };
  for (const auto& c : cases) {
    std::string log;
    EXPECT_NE(test::run_bgm(std::string(kTiny) + " " + c.args + " --out " + out.string() + " --store " +
                                (dir.path() / "store").string(), &log), 0) << c.args;
    EXPECT_NE(log.find("bgm: error: "), std::string::npos) << log;
    EXPECT_NE(log.find(c.expected), std::string::npos) << c.args << " -> " << log;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.args;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "store")) << c.args;
  }
}

TEST(ReproduceCli, BadDataFilesFailWithOneLineAndWriteNothing) {
  test::TempDir dir;
  const std::string record(3073, '\1');
  struct Case {
    std::string name, file, bytes, expected;
  };
  const Case cases[] = {
      {"truncated", "data_batch_1.bin", record + "xyz", "data_batch_1.bin: got 3076 bytes"},
      {"badlabel", "data_batch_1.bin", std::string(1, '\x0c') + record.substr(1), "label byte 12"},
      {"undecodable", "train/cat/0.jpg", "\xFF\xD8\xFFnot really a jpeg", "undecodable JPEG"},
  };
  for (const auto& c : cases) {
    const auto data = dir.path() / c.name;
    write_file_atomic(data / c.file, c.bytes);
    std::filesystem::create_directories(data / "test" / "cat");
    const auto out = dir.path() / (c.name + "_out");
    std::string log;
    EXPECT_NE(test::run_bgm(std::string(kTiny) + " --data " + data.string() + " --out " + out.string() + " --store " +
                                (dir.path() / "store").string(), &log), 0);
    EXPECT_NE(log.find("bgm: error: "), std::string::npos) << log;
    EXPECT_NE(log.find(c.expected), std::string::npos) << c.name << " -> " << log;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.name;
  }
}

TEST(ReproduceCli, RefusesToOverwriteEarlierResults) {
  test::TempDir dir;
  write_file_atomic(dir.path() / "summary.json", "{}");
  std::string log;
  EXPECT_NE(test::run_bgm(std::string(kTiny) + " --out " + dir.path().string() + " --store " +
                              (dir.path() / "store").string(), &log), 0);
  EXPECT_NE(log.find("not a bgm study directory"), std::string::npos) << log;
  EXPECT_EQ(read_file(dir.path() / "summary.json"), "{}");
}

}  // namespace bgm
