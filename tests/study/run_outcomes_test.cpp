#include "bgm/study/run_outcomes.h"

#include <gtest/gtest.h>

namespace bgm {
namespace {

TEST(RunOutcomes, AFailedStartLeavesItsRunsNotRunAndTheOthersGoOn) {
  RunOutcomes runs;
  runs.attempt("W0R", "", [] { return std::string("id-w0r"); });
  runs.attempt("W0A", "", []() -> std::string { throw RunFailed("diverged", {{"failed", "diverged"}, {"epoch", 3}}); });
  runs.attempt("WVA", "W0A", [] { return std::string("never made"); });
  runs.attempt("WVR", "W0R", [] { return std::string("id-wvr"); });
  EXPECT_EQ(runs.ids(), (std::map<std::string, std::string>{{"W0R", "id-w0r"}, {"WVR", "id-wvr"}}));
  ASSERT_EQ(runs.failures().size(), 2u);
  EXPECT_EQ(runs.failures()[0].first, "W0A");
  EXPECT_EQ(runs.failure("W0A").at("epoch"), 3);
  EXPECT_EQ(runs.failure("WVA").at("failed"), "not run");
  EXPECT_EQ(runs.failure("WVA").at("error"), "not run: its start W0A failed");
  EXPECT_THROW(runs.failure("WVR"), std::out_of_range);
}

// Assembling a planned study: a run not yet made is unfinished, not failed, and so is every run
// that starts from it, whose maker is not even asked.
TEST(RunOutcomes, AnUnfinishedRunAndTheRunsFromItAreUnfinishedNotFailed) {
  RunOutcomes runs;
  EXPECT_THROW(runs.attempt("W0A", "", []() -> std::string { throw RunNotFinished("no result.json"); }), RunNotFinished);
  bool asked = false;
  try {
    runs.attempt("WVA", "W0A", [&] {
      asked = true;
      return std::string("id");
    });
    ADD_FAILURE() << "WVA was made from an unfinished start";
  } catch (const RunNotFinished& e) {
    EXPECT_STREQ(e.what(), "its start W0A is not finished");
  }
  EXPECT_FALSE(asked);
  EXPECT_TRUE(runs.unfinished("W0A"));
  EXPECT_TRUE(runs.unfinished("WVA"));
  EXPECT_FALSE(runs.finished("WVA"));
  EXPECT_TRUE(runs.failures().empty());
}

}  // namespace
}  // namespace bgm
