#include "bgm/report/gnuplot.h"

#include <fmt/core.h>

#include <array>
#include <cstdio>

#include "bgm/core/error.h"
#include "bgm/core/files.h"

namespace fs = std::filesystem;

namespace bgm {
namespace {

// Runs a command, returning its exit status and what it printed (stdout and stderr).
int run_command(const std::string& command, std::string& output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  return pclose(pipe);
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string gnuplot_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

fs::path draw_figure(const fs::path& dir, const std::string& name, const std::vector<DataBlock>& data,
                     const std::string& plot, int width, int height) {
  fs::create_directories(dir);
  auto script_for = [&](const std::string& png, const std::string& svg) {
    std::string script = "# " + name + ": drawn by bgm; `cd` here and run `gnuplot " + name + ".gp` to redraw.\n";
    for (const auto& block : data) script += "$" + block.name + " << EOD\n" + block.rows + "EOD\n";
    script += "set encoding utf8\nset grid lc rgb '#dddddd'\nset key outside right top box opaque\n"
              "set border lw 1.2\nset style fill solid 0.85 border -1\n";
    script += fmt::format("set terminal pngcairo size {},{} enhanced font 'DejaVu Sans,12'\nset output {}\n", width,
                          height, gnuplot_quote(png));
    script += plot + "\nunset output\n";
    script += fmt::format("set terminal svg size {},{} enhanced font 'DejaVu Sans,12' background '#ffffff'\n"
                          "set output {}\n",
                          width, height, gnuplot_quote(svg));
    return script + plot + "\nunset output\n";
  };
  const fs::path script_path = dir / (name + ".gp");
  // The kept script names its outputs relative to its folder; the one run here draws to
  // temporary names that are renamed once both pictures exist, so a failure leaves no
  // half-drawn figure behind.
  write_file_atomic(script_path, script_for(name + ".png", name + ".svg"));
  const std::string png = (dir / (name + ".png")).string(), svg = (dir / (name + ".svg")).string();
  const fs::path run_path = dir / (name + ".gp.run");
  write_file_atomic(run_path, script_for(png + ".tmp", svg + ".tmp"));
  std::string output;
  const int status = run_command("gnuplot " + shell_quote(run_path.string()), output);
  fs::remove(run_path);
  for (const auto& file : {png, svg}) {
    const bool drawn = status == 0 && fs::exists(file + ".tmp") && fs::file_size(file + ".tmp") > 0;
    if (!drawn) {
      fs::remove(png + ".tmp");
      fs::remove(svg + ".tmp");
      throw input_error(script_path.string(), status == -1 || status == 127 * 256 ? "no gnuplot to run it" : "a gnuplot error: " + output,
                        "a figure script gnuplot draws (install gnuplot-nox: bash scripts/install-deps.sh)");
    }
  }
  fs::rename(png + ".tmp", png);
  fs::rename(svg + ".tmp", svg);
  return png;
}

}  // namespace bgm
