// The torch.save reader on files Python's torch.save wrote (tests/data/torch/make_fixtures.py),
// on bgm's own files, and on broken bytes, which must be bgm::Errors and never crashes.
#include "bgm/core/torch_file.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/models/model_state.h"
#include "bgm/models/model_zoo.h"
#include "test_util.h"

namespace bgm {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(BGM_TEST_DATA_DIR) / "torch";

void expect_fixture_state_dict(const NamedTensors& sd) {
  ASSERT_EQ(sd.size(), 6u);
  const char* keys[] = {"0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(sd[i].first, keys[i]);
  EXPECT_TRUE(sd[0].second.equal(torch::arange(54, torch::kFloat32).reshape({2, 3, 3, 3}) / 10));
  EXPECT_TRUE(sd[1].second.equal(torch::tensor({1.5f, -2.0f})));
  EXPECT_TRUE(sd[2].second.equal(torch::tensor({0.25f, 0.5f})));
  EXPECT_TRUE(sd[3].second.equal(torch::tensor({0.1f, 0.2f})));
  EXPECT_TRUE(sd[4].second.equal(torch::tensor({2.0f, 3.0f})));
  EXPECT_EQ(sd[5].second.scalar_type(), torch::kInt64);
  EXPECT_EQ(sd[5].second.dim(), 0);
  EXPECT_EQ(sd[5].second.item<int64_t>(), 7);
}

// Every outcome but a bgm::Error or success fails the test (a crash fails the whole binary).
void expect_error_or_value(const std::string& bytes) {
  try {
    read_torch_file(bytes, "fuzzed.pt");
  } catch (const Error&) {
  }
}

}  // namespace

TEST(TorchFile, ReadsPythonsOrderedDictStateDict) {
  expect_fixture_state_dict(read_state_dict(kFixtures / "state_dict.pt"));
}

TEST(TorchFile, TakesTheStateDictOutOfATrainingScriptsDict) {
  expect_fixture_state_dict(read_state_dict(kFixtures / "training_script_dict.pt"));
  const auto root = read_torch_file(read_file(kFixtures / "training_script_dict.pt"), "x");
  EXPECT_DOUBLE_EQ(root->find("acc")->number, 91.5);
  EXPECT_EQ(root->find("epoch")->integer, 7);
}

TEST(TorchFile, RebuildsViewsWithOffsetsStridesAndOtherDtypes) {
  const auto root = read_torch_file(read_file(kFixtures / "views.pt"), "views.pt");
  const auto base = torch::arange(12, torch::kFloat64).reshape({3, 4});
  EXPECT_TRUE(root->find("row")->tensor.equal(base[1]));
  EXPECT_TRUE(root->find("col")->tensor.equal(base.select(1, 1)));
  EXPECT_TRUE(root->find("t")->tensor.equal(base.t()));
  EXPECT_TRUE(root->find("half")->tensor.equal(torch::tensor({1.5, -2.0}).to(torch::kFloat16)));
  EXPECT_TRUE(root->find("flags")->tensor.equal(torch::tensor({true, false})));
  EXPECT_EQ(root->find("scalar")->tensor.scalar_type(), torch::kInt32);
  EXPECT_EQ(root->find("scalar")->tensor.item<int>(), 3);
}

TEST(TorchFile, ReadsBgmsOwnFilesInStateDictOrder) {
  test::TempDir dir;
  torch::manual_seed(2);
  auto model = make_model({"resnet18", 10, 4});
  save_state_dict(*model, dir.path() / "w.pt");
  const auto read = read_state_dict(dir.path() / "w.pt");
  const auto expected = state_dict(*model);
  ASSERT_EQ(read.size(), expected.size());
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].first, expected[i].first);
    EXPECT_TRUE(read[i].second.equal(expected[i].second)) << read[i].first;
  }
}

TEST(TorchFile, NamesTheFileForWhatIsNotAZipArchive) {
  for (const std::string bytes : {std::string(), std::string("\x80\x02}q\x00.", 6), std::string(100, 'x')}) {
    try {
      read_torch_file(bytes, "old.pt");
      FAIL() << "accepted " << bytes.size() << " bytes";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("old.pt: got "), std::string::npos) << e.what();
    }
  }
}

TEST(TorchFile, TruncatedAndCorruptedFilesAreErrorsNotCrashes) {
  const std::string good = read_file(kFixtures / "state_dict.pt");
  for (size_t n = 0; n < good.size(); n += 37) {
    EXPECT_THROW(read_torch_file(good.substr(0, n), "cut.pt"), Error) << n << " bytes";
  }
  for (size_t i = 0; i < good.size(); i += 3) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    expect_error_or_value(bad);
  }
}

TEST(TorchFile, RefusesAPickleThatIsNotAStateDict) {
  try {
    read_state_dict(kFixtures / "views.pt");  // a dict of tensors, but not a model's: loads
  } catch (const Error& e) {
    FAIL() << e.what();
  }
  auto model = make_model({"resnet18", 10, 4});
  try {
    load_state_dict(*model, kFixtures / "state_dict.pt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no key 'conv1.weight'"), std::string::npos) << e.what();
  }
}

}  // namespace bgm

namespace bgm {

TEST(TorchFile, RefusesCyclesAndContainersChangedAfterTheyAreHeld) {
  const StorageLoader none = [](const std::string&, torch::ScalarType, int64_t) -> torch::Tensor {
    throw Error("no storages here");
  };
  // ] 2 a: a list appended to itself.
  try {
    unpickle(std::string("]2a.", 4), none, "cycle.pkl");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a container inside itself"), std::string::npos) << e.what();
  }
  // A chain grown through the memo after each link was placed: its depth would go unseen.
  std::string chain = "]\x94";
  for (int i = 1; i <= 3; ++i) {  // new list, MEMOIZE, APPEND to the last, POP, LONG_BINGET the new one
    chain += "]\x94" "a0j";
    chain += static_cast<char>(i);
    chain += std::string(3, '\0');
  }
  chain += "0.";
  try {
    unpickle(chain, none, "chain.pkl");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("already inside another value"), std::string::npos) << e.what();
  }
}

}  // namespace bgm
