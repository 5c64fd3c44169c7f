#pragma once
// A study directory's report, made from its result files alone: the figures (study_figures.h),
// report.md (the setting, the tables, the paper's numbers where the setting is the paper's, a
// verdict computed from the numbers, the figures) and report.html, the same as one
// self-contained page. Every study writes it when it ends; `bgm report DIR` writes it again.
#include <filesystem>
#include <string>
#include <vector>

#include "bgm/report/study_figures.h"

namespace bgm {

/// Reads dir/summary.json and dir/config.json and writes dir/figures/, dir/report.md and
/// dir/report.html. If a figure cannot be drawn (e.g. no gnuplot) it throws when
/// figures_required, else it warns on stderr and writes the report without figures. Throws
/// bgm::Error naming the file for a directory that holds no finished study.
std::vector<Figure> write_study_report(const std::filesystem::path& dir, bool figures_required);

}  // namespace bgm
