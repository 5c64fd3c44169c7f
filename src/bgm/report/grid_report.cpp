#include "bgm/report/grid_report.h"

#include <fmt/core.h>

#include <map>

#include "bgm/report/seed_cell.h"
#include "bgm/study/run_outcomes.h"

namespace bgm {
namespace {

using Json = nlohmann::ordered_json;  // the summary, in its cells' order

// A training accuracy, starred where the runs did not fit their training set (not a global
// minimum, so the cell does not test the paper's claim).
std::string train_cell(const Json& stats) {
  if (!stats.is_object()) return "-";  // no seed finished the run
  const double mean = stats["mean"].get<double>();
  return fmt::format("{:.2f}{}", mean, stats["min"].get<double>() < 99.9 ? "*" : "");
}

// The paper's Table 2 (ResNet18, CIFAR-10, 5 seeds; PAPER.md), for the modes of this study.
std::string paper_table2(const Json& modes) {
  static const std::map<std::string, std::pair<const char*, const char*>> paper = {
      {"vanilla", {"84.838 ± 0.193", "56.024 ± 0.883"}},     {"da", {"93.370 ± 0.115", "89.402 ± 0.175"}},
      {"l2", {"87.352 ± 0.055", "83.172 ± 3.732"}},          {"momentum", {"89.200 ± 0.176", "89.016 ± 0.142"}},
      {"da+l2", {"94.680 ± 0.071", "94.192 ± 0.173"}},       {"da+momentum", {"93.448 ± 0.242", "92.756 ± 0.347"}},
      {"l2+momentum", {"89.050 ± 0.110", "88.932 ± 0.373"}}, {"sota", {"95.324 ± 0.086", "95.346 ± 0.098"}}};
  std::string out = "\nThe paper's Table 2 in this setting (test accuracy %, mean ± std over 5 seeds):\n\n"
                    "| mode | random init | adversarial init |\n|---|---:|---:|\n";
  for (const auto& mode : modes) {
    const auto& [r, a] = paper.at(mode.get<std::string>());
    out += fmt::format("| {} | {} | {} |\n", mode.get<std::string>(), r, a);
  }
  return out;
}

// A cell's test accuracy, with how many seeds' runs failed (diverged or not run).
std::string test_cell(const Json& cell) {
  return seed_cell(cell["test_acc"]) + (cell.contains("failed") ? fmt::format(" ({} failed)", cell["failed"].get<int>()) : "");
}

// The difference of two cells' means, or "-" where one has none.
std::string mean_difference(const Json& a, const Json& b) {
  if (!a.is_object() || !b.is_object()) return "-";
  return fmt::format("{:.2f}", a["mean"].get<double>() - b["mean"].get<double>());
}

std::string mean_or_dash(const Json& stats) {
  return stats.is_object() ? fmt::format("{:.3f}", stats["mean"].get<double>()) : "-";
}

std::string ablation_tables(const Json& s) {
  const auto& cells = s["cells"];
  std::string out =
      "Test accuracy % per mode and start, as the paper's Table 2 (train accuracy: mean over seeds; "
      "d: distance travelled from the start):\n\n"
      "| mode | random init: test | train | adversarial init: test | train | drop (points) | d(W0R, W) | d(W0A, W) |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& mode : s["modes"]) {
    const auto& r = cells["random"][mode.get<std::string>()];
    const auto& a = cells["adversarial"][mode.get<std::string>()];
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", mode.get<std::string>(), test_cell(r),
                       train_cell(r["train_acc"]), test_cell(a), train_cell(a["train_acc"]),
                       mean_difference(r["test_acc"], a["test_acc"]), mean_or_dash(r["distance_from_start"]),
                       mean_or_dash(a["distance_from_start"]));
  }
  if (s["preset"] == "paper" && s["dataset"] == "cifar10" && s["model"] == "resnet18" && s["width"] == 64)
    out += paper_table2(s["modes"]);
  return out;
}

std::string rsweep_tables(const Json& s) {
  const auto& cells = s["cells"];
  std::string head = "| start |", rule = "|---|";
  for (const auto& mode : s["modes"]) {
    head += " " + mode.get<std::string>() + ": test | train |";
    rule += "---:|---:|";
  }
  std::string out = "Test accuracy % by the start's replication factor R, zero-out " +
                    fmt::format("{}", s["zero_out"].get<double>()) +
                    " (Figure 4; train accuracy: mean over seeds):\n\n" + head + "\n" + rule + "\n";
  for (const auto& [label, modes] : cells.items()) {
    out += "| " + (label == "random" ? std::string("W0R (random)") : "W0A, " + label) + " |";
    for (const auto& mode : s["modes"]) {
      const auto& c = modes[mode.get<std::string>()];
      out += fmt::format(" {} | {} |", test_cell(c), train_cell(c["train_acc"]));
    }
    out += "\n";
  }
  return out;
}

// W0A per R and seed: how well it fitted its random labels.
std::string adversarial_lines(const Json& s) {
  std::string out = "\nAdversarial initializations (accuracy on their own random-label sets):\n\n";
  for (const auto& [seed, runs] : s["runs"].items())
    for (const auto& [role, r] : runs.items())
      if (r.contains("random_label_train_acc"))
        out += fmt::format("- {} {}: {:.2f}% after {} epochs ({} images)\n", seed, role,
                           r["random_label_train_acc"].get<double>(), r["epochs"].get<int>(),
                           r["adversarial_set_images"].get<int64_t>());
  return out;
}

// Every run that did not finish, with why; "" if all did.
std::string failure_lines(const Json& s) {
  std::string out;
  for (const auto& [seed, runs] : s["runs"].items())
    for (const auto& [role, r] : runs.items())
      if (is_failure(r)) out += fmt::format("- {} {}: {}\n", seed, role, r["error"].get<std::string>());
  return out.empty() ? "" : "\nRuns that did not finish (left out of their cells; a diverged run keeps its last good "
                            "checkpoint in its run directory):\n\n" + out;
}

}  // namespace

std::string grid_tables_markdown(const Json& summary) {
  const bool ablation = summary["study"] == "ablation";
  return (ablation ? ablation_tables(summary) : rsweep_tables(summary)) +
         "\n\\* below 99.9% training accuracy in some seed: not a global minimum of the training loss.\n" +
         adversarial_lines(summary) + failure_lines(summary);
}

std::string grid_report_markdown(const Json& summary, const nlohmann::json& study) {
  const auto& adv = study["adversarial"];
  const auto& train = study["train"];
  std::string out = fmt::format("# bgm {}: preset {}\n\n## Setting\n\n", summary["study"].get<std::string>(),
                                summary["preset"].get<std::string>());
  out += fmt::format(
      "- data `{}` (train subset {}, test subset {}; 0 = all), model {} at width {}\n"
      "- seeds {} (cells: mean ± sample std (min-max) over seeds)\n"
      "- W0A: Algorithm 1 with R = {}, zero-out {}; vanilla SGD, {}, until {} or {} epochs\n"
      "- every mode: {} epochs, {}, weight decay {} (l2 modes), momentum {} (momentum modes)\n"
      "- {} ({}), batch {}, drop last batch {}\n\n",
      summary["dataset"].get<std::string>(), study["train_subset"].get<int64_t>(), study["test_subset"].get<int64_t>(),
      summary["model"].get<std::string>(), summary["width"].get<int64_t>(), summary["seeds"].dump(),
      adv["replicas"].dump(), adv["zero_out"].get<double>(), adv["sgd"]["schedule"].get<std::string>(),
      adv["stop"]["target_train_acc"].is_null() ? std::string("no target") : adv["stop"]["target_train_acc"].dump() + "%",
      adv["stop"]["max_epochs"].get<int>(),
      train["stop"]["max_epochs"].get<int>(), train["schedule"]["schedule"].get<std::string>(),
      train["weight_decay"].get<double>(), train["momentum"].get<double>(), study["precision"].get<std::string>(),
      study["device"].get<std::string>(), study["batch_size"].get<int64_t>(), study["drop_last"].get<bool>());
  out += "## Results\n\n" + grid_tables_markdown(summary);
  return out;
}

}  // namespace bgm
