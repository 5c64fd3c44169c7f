#pragma once
// Figures drawn by gnuplot (Debian's gnuplot-nox): each figure is a script, kept beside its
// PNG and SVG so a researcher can restyle it and run `gnuplot NAME.gp` again. Data travel inside
// the script as named data blocks ($name << EOD ... EOD), so the script is all it needs.
#include <filesystem>
#include <string>
#include <vector>

namespace bgm {

/// A named data block: whitespace-separated columns, one row per line.
struct DataBlock {
  std::string name;  ///< without the '$'
  std::string rows;  ///< "x y ...\n" lines; strings with spaces in double quotes
};

/// Writes dir/NAME.gp (the blocks, then `plot` for a PNG of width x height pixels and the same
/// for an SVG) and runs gnuplot on it; throws bgm::Error with gnuplot's message if it fails or
/// leaves an empty picture. Returns the PNG's path.
std::filesystem::path draw_figure(const std::filesystem::path& dir, const std::string& name,
                                  const std::vector<DataBlock>& data, const std::string& plot, int width = 960,
                                  int height = 600);

/// A string as a gnuplot double-quoted literal.
std::string gnuplot_quote(const std::string& text);

}  // namespace bgm
