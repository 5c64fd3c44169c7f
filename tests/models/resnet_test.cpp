#include "bgm/models/resnet.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bgm/core/files.h"
#include "bgm/models/model_state.h"
#include "bgm/models/model_zoo.h"

namespace bgm {
namespace {

// The reference implementation's state_dict facts (copied from shared/reference).
nlohmann::json reference(const std::string& key) {
  static const auto all =
      nlohmann::json::parse(read_file(std::string(BGM_TEST_DATA_DIR) + "/reference_state_dicts.json"));
  return all.at(key);
}

void expect_matches_reference(const ClassifierImpl& model, const std::string& key) {
  const auto ref = reference(key);
  const auto state = state_dict(model);
  ASSERT_EQ(state.size(), ref["state_dict"].size());
  for (size_t i = 0; i < state.size(); ++i) {
    EXPECT_EQ(state[i].first, ref["state_dict"][i][0].get<std::string>()) << "entry " << i;
    EXPECT_EQ(state[i].second.sizes().vec(), ref["state_dict"][i][1].get<std::vector<int64_t>>())
        << state[i].first;
  }
  EXPECT_EQ(count_parameters(model), ref["parameters"].get<int64_t>());
}

}  // namespace

TEST(ResNet18, MatchesTheReferenceFor10Classes) {
  auto model = make_model({"resnet18", 10, 64});
  EXPECT_EQ(count_parameters(*model), 11173962);
  EXPECT_EQ(state_dict(*model).size(), 122u);
  expect_matches_reference(*model, "resnet18/10");
}

TEST(ResNet18, MatchesTheReferenceFor100Classes) {
  auto model = make_model({"resnet18", 100, 64});
  EXPECT_EQ(count_parameters(*model), 11220132);
  expect_matches_reference(*model, "resnet18/100");
}

TEST(ResNet18, WidthScalesEveryStage) {
  auto model = make_model({"resnet18", 10, 16});
  auto state = state_dict(*model);
  EXPECT_EQ(state.size(), 122u);
  EXPECT_EQ(state.front().second.sizes().vec(), (std::vector<int64_t>{16, 3, 3, 3}));
  EXPECT_EQ(state[state.size() - 2].second.sizes().vec(), (std::vector<int64_t>{10, 128}));
  // Convolutions hold nearly all weights: about (16/64)^2 of the full model.
  EXPECT_NEAR(count_parameters(*model) / 11173962.0, 1.0 / 16, 0.01);
}

TEST(ResNet18, ForwardGivesLogitsPerImage) {
  torch::manual_seed(0);
  auto model = make_model({"resnet18", 10, 8});
  auto out = model->forward(torch::randn({3, 3, 32, 32}));
  EXPECT_EQ(out.sizes(), torch::IntArrayRef({3, 10}));
}

TEST(ModelZoo, SameSeedSameInitialization) {
  torch::manual_seed(5);
  auto a = make_model({"resnet18", 10, 8});
  torch::manual_seed(5);
  auto b = make_model({"resnet18", 10, 8});
  auto sa = state_dict(*a), sb = state_dict(*b);
  for (size_t i = 0; i < sa.size(); ++i) EXPECT_TRUE(sa[i].second.equal(sb[i].second)) << sa[i].first;
}

}  // namespace bgm
