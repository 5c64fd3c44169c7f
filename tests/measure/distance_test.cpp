#include "bgm/measure/distance.h"

#include <gtest/gtest.h>

#include <cmath>

namespace bgm {

TEST(Distance, HandComputedValue) {
  // W1 = {a: [1, 2], b: [[2]]}, W2 = {a: [1, 0], b: [[2]]}:
  // ||W1 - W2|| = 2, ||W2|| = sqrt(1 + 4) = sqrt(5), d = 2 / sqrt(5).
  NamedTensors w1 = {{"a", torch::tensor({1.0f, 2.0f})}, {"b", torch::tensor({{2.0f}})}};
  NamedTensors w2 = {{"a", torch::tensor({1.0f, 0.0f})}, {"b", torch::tensor({{2.0f}})}};
  EXPECT_NEAR(relative_distance(w1, w2), 2.0 / std::sqrt(5.0), 1e-12);
  // Normalised by the second argument: d(W2, W1) = 2 / sqrt(9).
  EXPECT_NEAR(relative_distance(w2, w1), 2.0 / 3.0, 1e-12);
  EXPECT_EQ(relative_distance(w1, w1), 0.0);
}

TEST(Distance, RefusesMismatchedSets) {
  NamedTensors w1 = {{"a", torch::ones({2})}};
  NamedTensors w2 = {{"b", torch::ones({2})}};
  EXPECT_THROW(relative_distance(w1, w2), c10::Error);
}

}  // namespace bgm
