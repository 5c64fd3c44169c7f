#include "bgm/report/study_figures.h"

#include <fmt/core.h>

#include <sstream>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/image_decode.h"
#include "bgm/data/image_encode.h"
#include "bgm/report/boundary_picture.h"
#include "bgm/report/gnuplot.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Json = nlohmann::json;

const char* const kTrained[] = {"WVR", "WSR", "WVA", "WSA"};
const char* const kAll[] = {"W0R", "W0A", "WVR", "WSR", "WVA", "WSA"};

// One colour per model, the same in every figure: random start blue/green, adversarial red/orange.
std::string colour(const std::string& run) {
  if (run == "WVR") return "#1f77b4";
  if (run == "WSR") return "#2ca02c";
  if (run == "WVA") return "#d62728";
  if (run == "WSA") return "#ff7f0e";
  if (run == "W0A") return "#9467bd";
  return "#7f7f7f";
}

std::string number(const Json& v) { return v.is_number() ? fmt::format("{:.10g}", v.get<double>()) : "NaN"; }

// o[key] as a data-block number; NaN (a gap in the figure) where a failed run or a cell no seed
// finished (null) has none.
std::string number(const Json& o, const std::string& key) { return o.is_object() ? number(o.value(key, Json())) : "NaN"; }

// Columns `wanted` of a metrics CSV as data-block rows.
std::string csv_columns(const fs::path& path, const std::vector<std::string>& wanted) {
  std::istringstream in(read_file(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string h; std::getline(hs, h, ',');) header.push_back(h);
  std::vector<size_t> index;
  for (const auto& w : wanted) {
    const auto it = std::find(header.begin(), header.end(), w);
    if (it == header.end()) throw input_error(path.string(), "no column " + w, "a metrics file written by bgm");
    index.push_back(static_cast<size_t>(it - header.begin()));
  }
  std::string rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
    std::string row;
    for (size_t i : index) row += (row.empty() ? "" : " ") + (i < cells.size() && !cells[i].empty() ? cells[i] : std::string("NaN"));
    rows += row + "\n";
  }
  return rows;
}

std::vector<Figure> reproduce_figures(const fs::path& dir, const Json& s, const fs::path& out) {
  std::vector<Figure> figures;
  // Figures 2-3: accuracy curves.
  std::vector<DataBlock> blocks;
  std::string train_plot, test_plot;
  for (const char* run : kTrained) {
    // A run that failed before its first epoch has no metrics: it is left out of the curves.
    const fs::path csv = dir / "metrics" / (std::string(run) + ".csv");
    if (!fs::exists(csv)) continue;
    blocks.push_back({run, csv_columns(csv, {"epoch", "train_acc", "test_acc"})});
    const std::string style = fmt::format("with lines lw 2 lc rgb '{}' title '{}'", colour(run), run);
    train_plot += (train_plot.empty() ? "plot " : ", ") + fmt::format("${} using 1:2 {}", run, style);
    test_plot += (test_plot.empty() ? "plot " : ", ") + fmt::format("${} using 1:3 {}", run, style);
  }
  if (!blocks.empty()) {
    draw_figure(out, "curves", blocks,
                "set multiplot layout 1,2 title 'Accuracy during training (eval mode, un-augmented images)'\n"
                "set key inside right bottom\nset xlabel 'epoch'\nset yrange [0:100]\n"
                "set ylabel 'training accuracy (%)'\n" + train_plot + "\nset ylabel 'test accuracy (%)'\n" + test_plot +
                    "\nunset multiplot",
                1200, 520);
    figures.push_back({"curves", "Training (left) and test (right) accuracy in percent after every epoch, from the "
                                 "random start (WVR, WSR) and the adversarial start (WVA, WSA)."});
  }

  const auto& runs = s["runs"];
  if (runs["W0R"].contains("frobenius")) {
    // Figure 5: norms, log scale (path norms of deep nets span many orders of magnitude).
    std::string rows;
    for (const char* run : kAll)
      rows += fmt::format("{} {} {} {}\n", run, number(runs[run], "frobenius"), number(runs[run], "l1_path"),
                          number(runs[run], "l2_path"));
    draw_figure(out, "norms", {{"norms", rows}},
                "set title 'Complexity measures of each model'\nset style data histograms\n"
                "set style histogram clustered gap 1\nset logscale y\nset format y '10^{%L}'\n"
                "set ylabel 'norm (log scale)'\nset xlabel 'model'\n"
                "plot $norms using 2:xtic(1) title 'Frobenius' lc rgb '#4c72b0', '' using 3 title 'l_1 path' lc rgb "
                "'#dd8452', '' using 4 title 'l_2 path' lc rgb '#55a868'");
    figures.push_back({"norms", "Frobenius norm of all trainable parameters and l1 / l2 path norms (BN as its "
                                "affine map) of the six models, log scale."});
    // Figure 6: FGSM.
    std::string header, fgsm_rows;
    std::vector<std::string> eps;
    for (const auto& [e, unused] : runs["W0R"]["fgsm"].items()) eps.push_back(e);
    std::sort(eps.begin(), eps.end(), [](const std::string& a, const std::string& b) { return std::stoi(a) < std::stoi(b); });
    for (const auto& e : eps) {
      fgsm_rows += e;
      for (const char* run : kAll) fgsm_rows += " " + number(runs[run].value("fgsm", Json()), e);
      fgsm_rows += "\n";
    }
    std::string plot;
    int column = 2;
    for (const char* run : kAll)
      plot += (plot.empty() ? "plot " : ", ") + fmt::format("$fgsm using 1:{} with linespoints lw 2 pt 7 lc rgb '{}' title '{}'",
                                                            column++, colour(run), run);
    draw_figure(out, "fgsm", {{"fgsm", fgsm_rows}},
                "set title 'Robustness to the FGSM attack'\nset xlabel 'eps (1/255 units of pixel intensity)'\n"
                "set ylabel 'test accuracy under attack (%)'\nset yrange [0:100]\n" + plot);
    figures.push_back({"fgsm", "Test accuracy in percent under FGSM (x' = clip(x + eps sign(grad), 0, 1), pixel "
                               "space, true labels) against eps in 1/255 units."});
  }
  return figures;
}

std::vector<Figure> ablation_figures(const Json& s, const fs::path& out) {
  std::string rows;
  for (const auto& mode : s["modes"]) {
    const auto& r = s["cells"]["random"][mode.get<std::string>()]["test_acc"];
    const auto& a = s["cells"]["adversarial"][mode.get<std::string>()]["test_acc"];
    rows += fmt::format("{} {} {} {} {} {} {}\n", gnuplot_quote(mode.get<std::string>()), number(r, "mean"), number(r, "min"),
                        number(r, "max"), number(a, "mean"), number(a, "min"), number(a, "max"));
  }
  draw_figure(out, "ablation", {{"cells", rows}},
              "set title 'Test accuracy per training mode and start (bars: mean; whiskers: min-max over seeds)'\n"
              "set style data histograms\nset style histogram errorbars gap 2 lw 1.5\nset yrange [0:100]\n"
              "set ylabel 'test accuracy (%)'\nset xlabel 'training mode'\nset xtics rotate by -30\n"
              "plot $cells using 2:3:4:xtic(1) title 'random init (W0R)' lc rgb '#1f77b4', "
              "'' using 5:6:7 title 'adversarial init (W0A)' lc rgb '#d62728'",
              1100, 600);
  return {{"ablation", "Table 2 as bars: test accuracy in percent of every mode from the random and the adversarial "
                       "initialization; whiskers span the seeds' min and max."}};
}

std::vector<Figure> rsweep_figures(const Json& s, const fs::path& out) {
  std::vector<DataBlock> blocks;
  std::string plot;
  const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
  int k = 0;
  for (const auto& mode : s["modes"]) {
    const std::string m = mode.get<std::string>();
    std::string rows;
    const auto& random = s["cells"]["random"][m]["test_acc"];
    rows += fmt::format("0 {} {} {}\n", number(random, "mean"), number(random, "min"), number(random, "max"));
    for (const auto& R : s["replicas"]) {
      const auto& c = s["cells"]["R=" + std::to_string(R.get<int>())][m]["test_acc"];
      rows += fmt::format("{} {} {} {}\n", R.get<int>(), number(c, "mean"), number(c, "min"), number(c, "max"));
    }
    std::string block = m;
    for (char& ch : block)
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    blocks.push_back({block, rows});
    plot += (plot.empty() ? "plot " : ", ") +
            fmt::format("${} using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '{}' title {}", block, colours[k++ % 4],
                        gnuplot_quote(m + " SGD"));
  }
  std::string tics = "set xtics ('W0R' 0";
  for (const auto& R : s["replicas"]) tics += fmt::format(", '{0}' {0}", R.get<int>());
  tics += ")\nset offsets 0.3, 0.3, 2, 2\n";  // room around the points (x in R, y in points of %)
  draw_figure(out, "rsweep", blocks,
              tics + "set title 'Test accuracy against the replication factor R of the adversarial start'\n"
              "set xlabel 'R (noisy copies per training image; 0 = random start W0R)'\n"
              "set ylabel 'test accuracy (%)'\nset key inside right top\n" + plot);
  return {{"rsweep", "Figure 4: test accuracy in percent of vanilla and SOTA SGD from the adversarial start of each "
                     "R (R = 0: the random start); whiskers span the seeds' min and max."}};
}

// Figure 1 from the panels the toy study wrote; the SVG wraps the PNG (the panels are pixels).
std::vector<Figure> toy_figures(const fs::path& dir, const Json& s, const fs::path& out) {
  std::vector<RgbImage> rows;
  const bool several = s.contains("seeds");
  std::vector<std::string> seed_dirs;
  if (several)
    for (const auto& seed : s["seeds"]) seed_dirs.push_back("seed" + std::to_string(seed.get<uint64_t>()));
  else
    seed_dirs.push_back("");
  for (const auto& sub : seed_dirs) {
    std::vector<RgbImage> panels;
    for (int k = 1; k <= 4; ++k) {
      const fs::path png = dir / sub / fmt::format("setting{}.png", k);
      panels.push_back(decode_image(read_file(png), png.string()));
    }
    rows.push_back(side_by_side(panels, 12));
  }
  const RgbImage figure = stacked(rows, 12);
  fs::create_directories(out);
  write_png(figure, out / "toy.png");
  write_file_atomic(out / "toy.svg",
                    fmt::format("<svg xmlns='http://www.w3.org/2000/svg' width='{0}' height='{1}'><image width='{0}' "
                                "height='{1}' href='toy.png'/></svg>\n",
                                figure.width, figure.height));
  return {{"toy", "Figure 1: the decision boundaries of settings 1-4 (left to right; one row per seed): the plane "
                  "coloured by the output probability, its 0.5 level in black, points filled by the label trained on "
                  "and shaped by their true class."}};
}

}  // namespace

std::string study_kind(const Json& summary, const fs::path& where) {
  const std::string study = summary.value("study", "");
  if (study == "ablation" || study == "rsweep" || study == "toy") return study;
  if (study.empty() && summary.contains("runs") && summary.contains("distances")) return "reproduce";
  throw input_error(where.string(), study.empty() ? "a JSON object of no known study" : "study '" + study + "'",
                    "the summary.json of a reproduce, ablation, rsweep or toy study");
}

std::vector<Figure> draw_study_figures(const fs::path& dir, const Json& summary) {
  const std::string kind = study_kind(summary, dir / "summary.json");
  const fs::path out = dir / "figures";
  if (kind == "reproduce") return reproduce_figures(dir, summary, out);
  if (kind == "ablation") return ablation_figures(summary, out);
  if (kind == "rsweep") return rsweep_figures(summary, out);
  return toy_figures(dir, summary, out);
}

}  // namespace bgm
