#include "bgm/models/model_state.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/models/model_zoo.h"
#include "test_util.h"

namespace bgm {

TEST(ModelState, SaveAndLoadRoundTripsEveryEntry) {
  test::TempDir dir;
  torch::manual_seed(1);
  auto a = make_model({"resnet18", 10, 8});
  auto b = make_model({"resnet18", 10, 8});
  save_state_dict(*a, dir.path() / "a.pt");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "a.pt.tmp"));
  load_state_dict(*b, dir.path() / "a.pt");
  auto sa = state_dict(*a), sb = state_dict(*b);
  for (size_t i = 0; i < sa.size(); ++i) EXPECT_TRUE(sa[i].second.equal(sb[i].second)) << sa[i].first;
}

TEST(ModelState, LoadRefusesAnotherArchitecture) {
  test::TempDir dir;
  auto narrow = make_model({"resnet18", 10, 8});
  auto wide = make_model({"resnet18", 10, 16});
  save_state_dict(*narrow, dir.path() / "n.pt");
  try {
    load_state_dict(*wide, dir.path() / "n.pt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("conv1.weight"), std::string::npos) << e.what();
  }
}

TEST(ModelState, TrainableParametersExcludeBatchNormStatistics) {
  auto model = make_model({"resnet18", 10, 8});
  for (const auto& [name, t] : trainable_parameters(*model)) {
    EXPECT_EQ(name.find("running"), std::string::npos);
    EXPECT_EQ(name.find("num_batches"), std::string::npos);
  }
  EXPECT_EQ(trainable_parameters(*model).size(), 62u);  // 122 entries - 20 BN layers x 3 buffers
}

}  // namespace bgm
