#include "bgm/train/lr_schedule.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"

namespace bgm {

TEST(LrSchedule, CifarScheduleAtItsBoundaries) {
  const auto s = cifar_schedule();
  EXPECT_DOUBLE_EQ(s.lr_at(1), 0.1);
  EXPECT_DOUBLE_EQ(s.lr_at(150), 0.1);
  EXPECT_NEAR(s.lr_at(151), 0.01, 1e-15);
  EXPECT_NEAR(s.lr_at(250), 0.01, 1e-15);
  EXPECT_NEAR(s.lr_at(251), 0.001, 1e-15);
  EXPECT_NEAR(s.lr_at(350), 0.001, 1e-15);
}

TEST(LrSchedule, CosineFallsFromBaseToNearZero) {
  const auto s = parse_schedule("cosine:10", 0.1, "--sota-schedule");
  EXPECT_DOUBLE_EQ(s.lr_at(1), 0.1);
  EXPECT_NEAR(s.lr_at(6), 0.05, 1e-12);  // halfway: cos(pi / 2) = 0
  EXPECT_LT(s.lr_at(10), 0.01);
}

TEST(LrSchedule, ParsesAndRejectsText) {
  EXPECT_EQ(to_string(parse_schedule("multistep:150,250", 0.1, "x")), "multistep:150,250");
  EXPECT_DOUBLE_EQ(parse_schedule("constant", 0.05, "x").lr_at(300), 0.05);
  EXPECT_THROW(parse_schedule("multistep:250,150", 0.1, "x"), Error);
  EXPECT_THROW(parse_schedule("multistep:1a", 0.1, "x"), Error);
  EXPECT_THROW(parse_schedule("cosine:0", 0.1, "x"), Error);
  try {
    parse_schedule("linear", 0.1, "--sota-schedule");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--sota-schedule: got 'linear'"), std::string::npos) << e.what();
  }
}

}  // namespace bgm
