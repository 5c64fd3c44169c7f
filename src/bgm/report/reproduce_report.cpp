#include "bgm/report/reproduce_report.h"

#include <fmt/core.h>

#include <algorithm>

#include "bgm/report/seed_cell.h"
#include "bgm/study/run_outcomes.h"
#include "bgm/study/reproduce.h"

namespace bgm {
namespace {

const char* const kRunOrder[] = {"W0R", "W0A", "WVR", "WSR", "WVA", "WSA"};

const char* describe(const std::string& run) {
  if (run == "W0R") return "random initialization";
  if (run == "W0A") return "W0R fitted to random labels (Algorithm 1)";
  if (run == "WVR") return "vanilla SGD from W0R";
  if (run == "WSR") return "SOTA SGD from W0R";
  if (run == "WVA") return "vanilla SGD from W0A";
  return "SOTA SGD from W0A";
}

// Each sentence follows from the numbers: the paper's claims are checked, not asserted.
std::string verdict(const nlohmann::json& s) {
  const auto& r = s["runs"];
  const auto& d = s["distances"];
  std::string missing;
  for (const char* run : {"W0A", "WVR", "WSR", "WVA", "WSA"})
    if (is_failure(r[run])) missing += (missing.empty() ? "" : ", ") + std::string(run);
  if (!missing.empty())
    return "- Not decided: " + missing + " did not finish (see Results); the paper's claims compare all four "
           "trained models.\n";
  auto acc = [&](const char* run, const char* key) { return r[run][key].get<double>(); };
  const double gap = acc("WVR", "test_acc") - acc("WVA", "test_acc");
  const double sota_gap = acc("WSR", "test_acc") - acc("WSA", "test_acc");
  const bool fits = acc("WVR", "train_acc") >= 99.9 && acc("WVA", "train_acc") >= 99.9;
  std::string out;
  out += fmt::format("- Vanilla SGD {} the training set from both starts (WVR {:.2f}%, WVA {:.2f}% train "
                     "accuracy).\n",
                     fits ? "fits" : "does not fully fit", acc("WVR", "train_acc"), acc("WVA", "train_acc"));
  out += fmt::format("- From the adversarial start it tests {:.2f} points {} ({:.2f}% vs {:.2f}% from the "
                     "random start): {}.\n",
                     std::abs(gap), gap >= 0 ? "lower" : "higher", acc("WVA", "test_acc"),
                     acc("WVR", "test_acc"),
                     gap > 0 ? "the adversarial initialization led SGD to a worse global minimum"
                             : "no damage from the adversarial initialization is visible here");
  out += fmt::format("- SOTA SGD from the adversarial start tests {:.2f}% against {:.2f}% from the random "
                     "start: {}.\n",
                     acc("WSA", "test_acc"), acc("WSR", "test_acc"),
                     sota_gap <= 3 ? "it escapes the bad start (within 3 points)"
                                   : fmt::format("it stays {:.2f} points behind", sota_gap));
  const double near = d["d(W0A,WVA)"].get<double>(), far = d["d(W0R,WVR)"].get<double>();
  out += fmt::format("- Vanilla SGD ends {} its start from W0A than from W0R (d(W0A,WVA) = {:.3f}, "
                     "d(W0R,WVR) = {:.3f}); SOTA SGD travels d(W0A,WSA) = {:.3f}.\n",
                     near < far ? "closer to" : "no closer to", near, far, d["d(W0A,WSA)"].get<double>());
  return out;
}

// The stats block of a study over several seeds: accuracies per model, then the distances.
// A seed cell, and how many seeds it has where some seeds' runs failed.
std::string seeds_cell(const nlohmann::json& stats, size_t seeds, int digits = 2) {
  const size_t n = stats.is_object() ? stats["n"].get<size_t>() : 0;
  return seed_cell(stats, digits) + (n > 0 && n < seeds ? fmt::format(" ({} of {} seeds)", n, seeds) : "");
}

std::string seed_tables(const nlohmann::json& stats, size_t seeds) {
  std::string out = "Mean ± sample std (min-max) over the seeds.\n\n| model | train acc % | test acc % |\n|---|---:|---:|\n";
  for (const char* name : kRunOrder) {
    const auto& r = stats["runs"][name];
    out += fmt::format("| {} | {} | {} |\n", name, seeds_cell(r["train_acc"], seeds), seeds_cell(r["test_acc"], seeds));
  }
  out += "\n| distance | value |\n|---|---:|\n";
  for (const auto& [a, b] : table1_pairs()) {
    const std::string key = "d(" + a + "," + b + ")";
    out += fmt::format("| {} | {} |\n", key, seeds_cell(stats["distances"][key], seeds, 3));
  }
  return out;
}

// The paper's own setting: Table 1's ResNet18 row can stand beside ours.
bool paper_setting(const nlohmann::json& s) {
  return s["preset"] == "paper" && s["dataset"] == "cifar10" && s["model"] == "resnet18" && s["width"] == 64;
}

// Table 1, CIFAR-10, ResNet18, mean of 5 runs (PAPER.md); the paper gives no d(W0R,WVA), d(W0R,WSA).
std::string paper_distances_row() {
  return "\nThe paper's Table 1 for this setting (ResNet18, CIFAR-10, mean of 5 runs): d(W0R,WVR) about 0.9, "
         "d(W0R,WSR) 3.917, d(W0R,W0A) 0.87-0.95, d(W0A,WVA) 0.207, d(W0A,WSA) 12.421.\n";
}

std::string number_or_dash(const nlohmann::json& v, const char* format) {
  return v.is_number() ? fmt::format(fmt::runtime(format), v.get<double>()) : "-";
}

// r[key], or null where a failed run has no such field.
nlohmann::json field(const nlohmann::json& r, const char* key) { return r.value(key, nlohmann::json()); }

// Figure 5's norms, the spectral and Hessian measures, and Figure 6's FGSM accuracies per model.
std::string measures_table(const nlohmann::json& runs) {
  std::vector<std::string> eps;
  for (const auto& [e, unused] : runs["W0R"]["fgsm"].items()) eps.push_back(e);
  std::sort(eps.begin(), eps.end(), [](const std::string& a, const std::string& b) { return std::stoi(a) < std::stoi(b); });
  std::string out = "\nMeasures of each model (PAPER.md, Measurements; FGSM: test accuracy % at eps/255):\n\n"
                    "| model | Frobenius | l1 path | l2 path | ln prod spectral | Hessian top eig |";
  std::string rule = "|---|---:|---:|---:|---:|---:|";
  for (const auto& e : eps) {
    out += " FGSM " + e + " |";
    rule += "---:|";
  }
  out += "\n" + rule + "\n";
  for (const char* name : kRunOrder) {
    const auto& r = runs[name];
    out += fmt::format("| {} | {} | {} | {} | {} | {} |", name, number_or_dash(field(r, "frobenius"), "{:.3f}"),
                       number_or_dash(field(r, "l1_path"), "{:.4g}"), number_or_dash(field(r, "l2_path"), "{:.4g}"),
                       number_or_dash(field(r, "spectral_log_product"), "{:.2f}"),
                       number_or_dash(field(r, "hessian_top_eig"), "{:.4g}"));
    const auto fgsm = field(r, "fgsm");
    for (const auto& e : eps) out += " " + number_or_dash(fgsm.is_object() ? field(fgsm, e.c_str()) : fgsm, "{:.2f}") + " |";
    out += "\n";
  }
  return out;
}

// The straight lines from each start to its vanilla-trained model.
std::string paths_table(const nlohmann::json& paths) {
  std::string out = "\nAlong the straight line W(alpha) = (1 - alpha) start + alpha end (train loss / test acc %):\n\n"
                    "| alpha | W0R -> WVR | W0A -> WVA |\n|---:|---:|---:|\n";
  const auto& r = paths["W0R->WVR"];  // null where a run on the line failed
  const auto& a = paths["W0A->WVA"];
  if (r.is_null() && a.is_null()) return "";
  const auto& line = r.is_null() ? a : r;
  // A loss that overflowed somewhere on the line is null in JSON, as is a line not drawn: "-".
  auto point = [](const nlohmann::json& l, size_t i) {
    return l.is_null() ? std::string("-") : number_or_dash(l[i]["train_loss"], "{:.4f}") + " / " +
                                                number_or_dash(l[i]["test_acc"], "{:.2f}");
  };
  for (size_t i = 0; i < line.size(); ++i)
    out += fmt::format("| {:.1f} | {} | {} |\n", line[i]["alpha"].get<double>(), point(r, i), point(a, i));
  return out;
}

}  // namespace

std::string reproduce_tables_markdown(const nlohmann::json& summary) {
  std::string out =
      "| model | what it is | epochs | train acc % | test acc % | train loss | test loss | seconds |\n"
      "|---|---|---:|---:|---:|---:|---:|---:|\n";
  std::string failures;
  for (const char* name : kRunOrder) {
    const auto& r = summary["runs"][name];
    if (is_failure(r)) {
      out += fmt::format("| {} | {} | {} | - | - | - | - | - |\n", name, describe(name),
                         r["failed"].get<std::string>());
      failures += fmt::format("- {}: {}\n", name, r["error"].get<std::string>());
      continue;
    }
    // An infinite loss is null in JSON: "-".
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", name, describe(name), r["epochs"].get<int>(),
                       number_or_dash(r["train_acc"], "{:.2f}"), number_or_dash(r["test_acc"], "{:.2f}"),
                       number_or_dash(r["train_loss"], "{:.4f}"), number_or_dash(r["test_loss"], "{:.4f}"),
                       number_or_dash(r["seconds"], "{:.0f}"));
  }
  if (!failures.empty())
    out += "\nRuns that did not finish (a diverged run keeps its metrics and its last good checkpoint, if an "
           "epoch finished, in its run directory):\n\n" + failures;
  const auto& w0a = summary["runs"]["W0A"];
  if (!is_failure(w0a))
    out += fmt::format("\nW0A's accuracy on its own random-label training set: {:.2f}%.\n",
                       w0a["random_label_train_acc"].get<double>());
  out += "\n";
  std::string head = "|", rule = "|", row = "|";
  for (const auto& [a, b] : table1_pairs()) {
    const std::string key = "d(" + a + "," + b + ")";
    head += " " + key + " |";
    rule += "---:|";
    row += " " + number_or_dash(summary["distances"][key], "{:.3f}") + " |";
  }
  out += "Distances d(W1,W2) = ||W1 - W2|| / ||W2|| over all trainable parameters (Table 1):\n\n";
  out += head + "\n" + rule + "\n" + row + "\n";
  if (paper_setting(summary)) out += paper_distances_row();
  if (summary["runs"]["W0R"].contains("frobenius")) out += measures_table(summary["runs"]);
  if (summary.contains("paths")) out += paths_table(summary["paths"]);
  return out;
}

std::string reproduce_report_markdown(const nlohmann::json& summary, const nlohmann::json& config) {
  const auto& data = config["data"];
  const auto& build = config["build"];
  const auto& study = config["study"];
  std::string out = "# bgm reproduce: bad global minima\n\n## Setting\n\n";
  out += fmt::format(
      "- preset `{}`, data `{}` ({} train, {} test images) from `{}`\n"
      "- model {} at width {}, seed {}{}\n"
      "- Algorithm 1: R = {}, zero-out {}\n"
      "- {} on {}, {} threads; bgm {} (commit {}), LibTorch {}\n\n",
      summary["preset"].get<std::string>(), data["name"].get<std::string>(),
      data["train_images"].get<int64_t>(), data["test_images"].get<int64_t>(),
      data["source"].get<std::string>(), summary["model"].get<std::string>(),
      summary["width"].get<int64_t>(), summary["seed"].get<uint64_t>(),
      summary.contains("seeds") ? " (tables below; then every seed: " + summary["seeds"].dump() + ")" : "",
      study["adversarial"]["replicas"].get<int>(), study["adversarial"]["zero_out"].get<double>(),
      study["precision"].get<std::string>(), study["device"].get<std::string>(),
      build["threads"].get<int>(), build["bgm_version"].get<std::string>(),
      build["git_commit"].get<std::string>(), build["libtorch_version"].get<std::string>());
  out += "Losses are true mean per-example cross-entropies (the reference code's printed loss is "
         "smaller by the batch size). Accuracies are measured in eval mode on un-augmented images.\n\n";
  out += "## Results\n\n" + reproduce_tables_markdown(summary);
  out += "\n## What this run shows\n\n" + verdict(summary);
  if (summary.contains("stats")) {
    out += "\n## Over seeds " + summary["seeds"].dump() + "\n\n" + seed_tables(summary["stats"], summary["seeds"].size());
    // The tables above are the first seed's; every seed's failures are listed here.
    std::string failed;
    for (const auto& [seed, block] : summary["by_seed"].items())
      for (const char* name : kRunOrder)
        if (is_failure(block["runs"][name]))
          failed += fmt::format("- {} {}: {}\n", seed, name, block["runs"][name]["error"].get<std::string>());
    if (!failed.empty()) out += "\nRuns that did not finish, in every seed (left out of the statistics):\n\n" + failed;
  }
  return out;
}

}  // namespace bgm
