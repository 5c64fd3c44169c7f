#include "bgm/models/model_zoo.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "bgm/core/files.h"
#include "bgm/models/model_state.h"

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

TEST(ResNet50, MatchesTheReferenceFor10And100Classes) {
  auto model = make_model({"resnet50", 10, 64});
  EXPECT_EQ(count_parameters(*model), 23520842);
  EXPECT_EQ(state_dict(*model).size(), 320u);
  expect_matches_reference(*model, "resnet50/10");
  expect_matches_reference(*make_model({"resnet50", 100, 64}), "resnet50/100");
}

TEST(Vgg16, MatchesTheReferenceAndFollowsTheClassCount) {
  auto model = make_model({"vgg16", 10, 64});
  EXPECT_EQ(count_parameters(*model), 14728266);
  EXPECT_EQ(state_dict(*model).size(), 93u);
  expect_matches_reference(*model, "vgg16/10");
  // The reference fixes 10 classes; bgm's classifier follows the data: only its shapes change.
  auto wide = state_dict(*make_model({"vgg16", 100, 64}));
  ASSERT_EQ(wide.size(), 93u);
  EXPECT_EQ(wide[91].second.sizes().vec(), (std::vector<int64_t>{100, 512}));
  EXPECT_EQ(wide[92].second.sizes().vec(), (std::vector<int64_t>{100}));
  EXPECT_EQ(count_parameters(*make_model({"vgg16", 100, 64})), 14728266 + 90 * 513);
}

TEST(DenseNet40, MatchesTheReferenceFor10And100Classes) {
  auto model = make_model({"densenet40", 10, 64});
  EXPECT_EQ(count_parameters(*model), 176122);
  EXPECT_EQ(state_dict(*model).size(), 236u);
  expect_matches_reference(*model, "densenet40/10");
  auto hundred = make_model({"densenet40", 100, 64});
  EXPECT_EQ(count_parameters(*hundred), 188092);
  expect_matches_reference(*hundred, "densenet40/100");
}

TEST(DenseNet40, ReferenceInitialization) {
  torch::manual_seed(0);
  auto model = make_model({"densenet40", 10, 64});
  for (const auto& [key, t] : state_dict(*model)) {
    if (key == "conv1.weight") EXPECT_NEAR(t.std().item<double>(), std::sqrt(2.0 / (9 * 24)), 0.02);
    if (key == "block1.layer.0.conv1.weight")  // 1x1 conv to 48: std sqrt(2 / 48)
      EXPECT_NEAR(t.std().item<double>(), std::sqrt(2.0 / 48), 0.02);
    if (key == "fc.bias") EXPECT_EQ(t.abs().sum().item<double>(), 0.0);
    if (key.size() > 10 && key.substr(key.size() - 10) == "bn1.weight") EXPECT_TRUE(t.eq(1).all().item<bool>()) << key;
  }
}

TEST(ModelZoo, WidthScalesEveryModelAndTheForwardPassRuns) {
  torch::manual_seed(0);
  EXPECT_EQ(densenet_growth(64), 12);
  EXPECT_EQ(densenet_growth(16), 3);
  EXPECT_EQ(densenet_growth(1), 1);
  for (const auto& name : model_names()) {
    auto model = make_model({name, 7, 8});
    model->eval();
    EXPECT_EQ(model->forward(torch::randn({2, 3, 32, 32})).sizes(), torch::IntArrayRef({2, 7})) << name;
    EXPECT_LT(count_parameters(*model), count_parameters(*make_model({name, 7, 64}))) << name;
  }
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
