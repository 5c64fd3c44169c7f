#include "bgm/report/study_report.h"

#include <fmt/core.h>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/report/grid_report.h"
#include "bgm/report/html_page.h"
#include "bgm/report/reproduce_report.h"
#include "bgm/report/toy_report.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

using Ordered = nlohmann::ordered_json;

Ordered read_json(const fs::path& path) {
  if (!fs::exists(path))
    throw input_error(path.string(), "a missing file", "a study directory bgm wrote (with summary.json and config.json)");
  try {
    return Ordered::parse(read_file(path));
  } catch (const Ordered::exception& e) {
    throw input_error(path.string(), std::string("unparsable JSON (") + e.what() + ")", "a file written by bgm");
  }
}

std::string figures_markdown(const std::vector<Figure>& figures) {
  std::string md = "\n## Figures\n\n";
  for (const auto& f : figures)
    md += fmt::format("![{0}](figures/{0}.png)\n\n*{1}* ([SVG](figures/{0}.svg), [gnuplot script](figures/{0}.gp))\n\n",
                      f.name, f.caption);
  return md;
}

}  // namespace

std::vector<Figure> write_study_report(const fs::path& dir, bool figures_required) {
  const Ordered summary = read_json(dir / "summary.json");
  const Ordered config = read_json(dir / "config.json");
  const std::string kind = study_kind(nlohmann::json(summary), dir / "summary.json");
  std::vector<Figure> figures;
  std::string missing;
  try {
    figures = draw_study_figures(dir, nlohmann::json(summary));
  } catch (const Error& e) {
    if (figures_required) throw;
    fmt::print(stderr, "bgm: warning: no figures ({}); draw them later with `bgm report {}`\n", e.what(), dir.string());
    missing = "\n*Figures not drawn: " + std::string(e.what()) + ". Run `bgm report " + dir.string() + "`.*\n";
  }
  std::string md;
  if (kind == "reproduce") md = reproduce_report_markdown(nlohmann::json(summary), nlohmann::json(config));
  else if (kind == "toy") md = toy_report_markdown(summary);
  else md = grid_report_markdown(summary, nlohmann::json(config.at("study")));
  md += figures.empty() ? missing : figures_markdown(figures);
  write_file_atomic(dir / "report.md", md);
  const std::string title = "bgm " + kind + ": " + dir.filename().string();
  write_file_atomic(dir / "report.html", html_page(title, md, dir));
  return figures;
}

}  // namespace bgm
