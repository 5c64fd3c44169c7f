#include "bgm/report/reproduce_report.h"

#include <fmt/core.h>

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

std::string verdict(const nlohmann::json& s) {
  const auto& r = s["runs"];
  const auto& d = s["distances"];
  const double gap = r["WVR"]["test_acc"].get<double>() - r["WVA"]["test_acc"].get<double>();
  const double sota_gap = r["WSR"]["test_acc"].get<double>() - r["WSA"]["test_acc"].get<double>();
  std::string out;
  out += fmt::format("- Vanilla SGD from the adversarial start fits the training set ({:.2f}% train) but "
                     "tests {:.2f} points {} than from the random start ({:.2f}% vs {:.2f}%).\n",
                     r["WVA"]["train_acc"].get<double>(), std::abs(gap), gap >= 0 ? "lower" : "higher",
                     r["WVA"]["test_acc"].get<double>(), r["WVR"]["test_acc"].get<double>());
  out += fmt::format("- SOTA SGD from the adversarial start tests {:.2f}% against {:.2f}% from the random "
                     "start ({} {:.2f} points).\n",
                     r["WSA"]["test_acc"].get<double>(), r["WSR"]["test_acc"].get<double>(),
                     sota_gap >= 0 ? "behind by" : "ahead by", std::abs(sota_gap));
  out += fmt::format("- Vanilla SGD moves the weights less from W0A than from W0R: d(W0A,WVA) = {:.3f} vs "
                     "d(W0R,WVR) = {:.3f}; SOTA SGD travels far: d(W0A,WSA) = {:.3f}.\n",
                     d["d(W0A,WVA)"].get<double>(), d["d(W0R,WVR)"].get<double>(),
                     d["d(W0A,WSA)"].get<double>());
  return out;
}

}  // namespace

std::string reproduce_tables_markdown(const nlohmann::json& summary) {
  std::string out =
      "| model | what it is | epochs | train acc % | test acc % | train loss | test loss | seconds |\n"
      "|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const char* name : kRunOrder) {
    const auto& r = summary["runs"][name];
    out += fmt::format("| {} | {} | {} | {:.2f} | {:.2f} | {:.4f} | {:.4f} | {:.0f} |\n", name,
                       describe(name), r["epochs"].get<int>(), r["train_acc"].get<double>(),
                       r["test_acc"].get<double>(), r["train_loss"].get<double>(),
                       r["test_loss"].get<double>(), r["seconds"].get<double>());
  }
  const auto& w0a = summary["runs"]["W0A"];
  out += fmt::format("\nW0A's accuracy on its own random-label training set: {:.2f}%.\n\n",
                     w0a["random_label_train_acc"].get<double>());
  std::string head = "|", rule = "|", row = "|";
  for (const auto& [a, b] : table1_pairs()) {
    const std::string key = "d(" + a + "," + b + ")";
    head += " " + key + " |";
    rule += "---:|";
    row += fmt::format(" {:.3f} |", summary["distances"][key].get<double>());
  }
  out += "Distances d(W1,W2) = ||W1 - W2|| / ||W2|| over all trainable parameters (Table 1):\n\n";
  out += head + "\n" + rule + "\n" + row + "\n";
  return out;
}

std::string reproduce_report_markdown(const nlohmann::json& summary, const nlohmann::json& config) {
  const auto& data = config["data"];
  const auto& build = config["build"];
  std::string out = "# bgm reproduce: bad global minima\n\n## Setting\n\n";
  out += fmt::format(
      "- preset `{}`, data `{}` ({} train, {} test images) from `{}`\n"
      "- model {} at width {}, seed {}\n"
      "- Algorithm 1: R = {}, zero-out {}\n"
      "- {} on {}, {} threads; bgm {} (commit {}), LibTorch {}\n\n",
      summary["preset"].get<std::string>(), data["name"].get<std::string>(),
      data["train_images"].get<int64_t>(), data["test_images"].get<int64_t>(),
      data["source"].get<std::string>(), summary["model"].get<std::string>(),
      summary["width"].get<int64_t>(), summary["seed"].get<uint64_t>(),
      config["adversarial"]["replicas"].get<int>(), config["adversarial"]["zero_out"].get<double>(),
      config["precision"].get<std::string>(), config["device"].get<std::string>(),
      build["threads"].get<int>(), build["bgm_version"].get<std::string>(),
      build["git_commit"].get<std::string>(), build["libtorch_version"].get<std::string>());
  out += "Losses are true mean per-example cross-entropies (the reference code's printed loss is "
         "smaller by the batch size). Accuracies are measured in eval mode on un-augmented images.\n\n";
  out += "## Results\n\n" + reproduce_tables_markdown(summary);
  out += "\n## What this run shows\n\n" + verdict(summary);
  return out;
}

}  // namespace bgm
