#include "bgm/train/dataset_protocol.h"

#include <gtest/gtest.h>

namespace bgm {
namespace {

TEST(DatasetProtocol, ThePapersPerDataSetDefaults) {
  for (const char* name : {"cifar10", "cifar100", "imagefolder"}) {
    const auto p = paper_protocol(name);
    EXPECT_DOUBLE_EQ(p.weight_decay, 5e-4) << name;
    EXPECT_EQ(p.epochs, 350) << name;
    EXPECT_DOUBLE_EQ(p.schedule.lr_at(250), 0.01) << name;
    EXPECT_NEAR(p.schedule.lr_at(251), 0.001, 1e-12) << name;
  }
  const auto cinic = paper_protocol("cinic10");
  EXPECT_DOUBLE_EQ(cinic.weight_decay, 1e-4);
  EXPECT_EQ(cinic.epochs, 300);
  EXPECT_DOUBLE_EQ(cinic.schedule.lr_at(150), 0.1);
  EXPECT_DOUBLE_EQ(cinic.schedule.lr_at(225), 0.01);
  EXPECT_NEAR(cinic.schedule.lr_at(226), 0.001, 1e-12);
  const auto ri = paper_protocol("restricted_imagenet");
  EXPECT_DOUBLE_EQ(ri.weight_decay, 5e-4);
  EXPECT_EQ(ri.epochs, 300);
  EXPECT_EQ(ri.schedule.milestones, (std::vector<int>{150, 225}));
}

}  // namespace
}  // namespace bgm
