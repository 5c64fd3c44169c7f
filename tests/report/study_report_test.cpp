// `bgm report` on the committed tiny study directories (tests/data/studies/*: the summary,
// config and per-run metrics of real one-epoch studies, weights left out): every promised file,
// figures of the promised size.
#include "bgm/report/study_report.h"

#include <gtest/gtest.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/image_decode.h"
#include "bgm/report/html_page.h"
#include "test_util.h"

namespace bgm {
namespace fs = std::filesystem;
namespace {

fs::path copy_study(const std::string& kind, const test::TempDir& tmp) {
  const fs::path dir = tmp.path() / kind;
  fs::copy(fs::path(BGM_TEST_DATA_DIR) / "studies" / kind, dir, fs::copy_options::recursive);
  return dir;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct Expected {
  std::string kind;
  std::vector<std::string> figures;
  int width, height;  ///< of the first figure
};

TEST(StudyReport, RedrawsEveryFigureAndBothReports) {
  const Expected cases[] = {{"reproduce", {"curves", "norms", "fgsm"}, 1200, 520},
                            {"ablation", {"ablation"}, 1100, 600},
                            {"rsweep", {"rsweep"}, 960, 600},
                            {"toy", {"toy"}, 4 * 48 + 3 * 12, 2 * 48 + 12}};
  for (const auto& c : cases) {
    test::TempDir tmp;
    const fs::path dir = copy_study(c.kind, tmp);
    const auto figures = write_study_report(dir, /*figures_required=*/true);
    ASSERT_EQ(figures.size(), c.figures.size()) << c.kind;
    for (size_t i = 0; i < figures.size(); ++i) {
      EXPECT_EQ(figures[i].name, c.figures[i]) << c.kind;
      EXPECT_FALSE(figures[i].caption.empty());
      const fs::path png = dir / "figures" / (figures[i].name + ".png");
      const RgbImage image = decode_image(read_file(png), png.string());
      if (i == 0) {
        EXPECT_EQ(image.width, c.width) << png;
        EXPECT_EQ(image.height, c.height) << png;
      }
      // Not a blank canvas: some pixels are far from white.
      size_t dark = 0;
      for (size_t p = 0; p < image.pixels.size(); ++p) dark += image.pixels[p] < 128;
      EXPECT_GT(dark, image.pixels.size() / 200) << png;
      EXPECT_NE(read_file(dir / "figures" / (figures[i].name + ".svg")).find("<svg"), std::string::npos);
    }
    const std::string md = read_file(dir / "report.md"), html = read_file(dir / "report.html");
    EXPECT_NE(md.find("## Figures"), std::string::npos) << c.kind;
    EXPECT_EQ(count(html, "src=\"data:image/png;base64,"), figures.size()) << c.kind;  // self-contained
    EXPECT_NE(html.find("<table>"), std::string::npos) << c.kind;
    EXPECT_EQ(html.find("src=\"figures/"), std::string::npos) << c.kind;
  }
}

TEST(StudyReport, TheReproduceReportHasTheMeasuresAndTheVerdict) {
  test::TempDir tmp;
  const fs::path dir = copy_study("reproduce", tmp);
  write_study_report(dir, true);
  const std::string md = read_file(dir / "report.md");
  for (const char* part : {"| WVA |", "ln prod spectral", "FGSM 8", "W0A -> WVA", "## What this run shows"})
    EXPECT_NE(md.find(part), std::string::npos) << part;
}

TEST(StudyReport, ADirectoryWithoutAStudyIsRefusedByName) {
  test::TempDir tmp;
  try {
    write_study_report(tmp.path(), true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("summary.json: got a missing file"), std::string::npos) << e.what();
  }
  std::string log;
  EXPECT_NE(test::run_bgm("report " + (tmp.path() / "nope").string(), &log), 0);
  EXPECT_NE(log.find("bgm: error: "), std::string::npos) << log;
}

TEST(StudyReport, TheCommandPrintsWhatItWrote) {
  test::TempDir tmp;
  const fs::path dir = copy_study("ablation", tmp);
  std::string log;
  ASSERT_EQ(test::run_bgm("report " + dir.string(), &log), 0) << log;
  EXPECT_NE(log.find("figures/ablation.png"), std::string::npos) << log;
  EXPECT_NE(log.find("report.html"), std::string::npos) << log;
}

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\xff\x00\x10", 3)), "/wAQ");
}

}  // namespace
}  // namespace bgm
