#include "bgm/study/grid_config.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/core/number_lists.h"
#include "bgm/train/heuristics.h"

namespace bgm {
namespace {

TEST(GridConfig, SeedListsAndRanges) {
  EXPECT_EQ(parse_seed_list("1-5", "--seeds"), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(parse_seed_list("0,3,7", "--seeds"), (std::vector<uint64_t>{0, 3, 7}));
  EXPECT_EQ(parse_seed_list("0-2,9", "--seeds"), (std::vector<uint64_t>{0, 1, 2, 9}));
  EXPECT_EQ(parse_seed_list("4", "--seeds"), (std::vector<uint64_t>{4}));
  // A range ending at the largest seed ends (the loop used to wrap around to 0 and never end).
  EXPECT_EQ(parse_seed_list("18446744073709551614-18446744073709551615", "--seeds"),
            (std::vector<uint64_t>{18446744073709551614ull, 18446744073709551615ull}));
  for (const char* bad : {"", "5-1", "a", "1,1", "1-3,2", "-1", "1,,2", "1-", " 5", "+5", "18446744073709551616"}) {
    try {
      parse_seed_list(bad, "--seeds");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("--seeds"), std::string::npos);
    }
  }
  EXPECT_EQ(parse_int_list("1,2,4,8", "--replicas"), (std::vector<int>{1, 2, 4, 8}));
  EXPECT_THROW(parse_int_list("0,2", "--replicas"), Error);
}

TEST(GridConfig, PresetsOfBothStudies) {
  const GridConfig ablation = grid_preset("ablation", "cpu");
  EXPECT_EQ(ablation.modes, mode_names());
  EXPECT_EQ(ablation.replicas, (std::vector<int>{4}));
  EXPECT_EQ(ablation.model.width, 8);
  const GridConfig rsweep = grid_preset("rsweep", "cpu");
  EXPECT_EQ(rsweep.modes, (std::vector<std::string>{"vanilla", "sota"}));
  EXPECT_EQ(rsweep.replicas, (std::vector<int>{1, 2, 4}));
  // The two cpu presets differ only in R and modes, so they share W0R, W0A (R = 4) and runs.
  EXPECT_EQ(ablation.train_subset, rsweep.train_subset);
  EXPECT_EQ(ablation.train_stop.max_epochs, rsweep.train_stop.max_epochs);

  GridConfig paper = grid_preset("ablation", "paper");
  EXPECT_EQ(paper.model.width, 64);
  EXPECT_EQ(paper.seeds, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(paper.adversarial_stop.check_every, 25);
  EXPECT_FALSE(paper.drop_last);
  paper.apply_dataset_protocol("cinic10");
  EXPECT_DOUBLE_EQ(paper.weight_decay, 1e-4);
  EXPECT_EQ(paper.train_stop.max_epochs, 300);
  EXPECT_EQ(paper.schedule.milestones, (std::vector<int>{150, 225}));
  EXPECT_THROW(paper.validate(), Error);  // the paper preset needs --data
  EXPECT_THROW(grid_preset("ablation", "fast"), Error);
}

TEST(GridConfig, UnknownModeIsNamed) {
  GridConfig c = grid_preset("ablation", "cpu");
  c.modes = {"vanilla", "adam"};
  try {
    c.validate();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'adam'"), std::string::npos);
  }
}

}  // namespace
}  // namespace bgm
