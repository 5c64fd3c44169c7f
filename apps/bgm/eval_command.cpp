// `bgm eval`: test accuracy and mean loss of any state_dict - bgm's own weights or a file that
// Python's torch.save(model.state_dict()) wrote - on any supported data set.
#include <fmt/core.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/measure/evaluate.h"
#include "bgm/models/model_state.h"
#include "bgm/models/model_zoo.h"
#include "bgm/study/study_setup.h"
#include "commands.h"

namespace bgm::cli {
namespace {

struct EvalFlags {
  std::string model = "resnet18", weights, data, split = "test", json, logits, device = "cpu", precision = "fp32";
  int64_t width = kPaperWidth, batch_size = 128;
  bool resize = false;
};

int run_eval(const EvalFlags& f) {
  Compute compute;
  compute.device = parse_device(f.device);
  compute.precision = parse_precision(f.precision, compute.device);
  const DataSplits data = load_study_data(f.data, 0, 0, 0, f.resize);
  ModelSpec spec{f.model, data.train.num_classes(), f.width};
  validate(spec);
  settle_channels_last(compute, spec);
  auto model = make_model(spec);
  load_state_dict(*model, f.weights);
  place_model(*model, compute);

  nlohmann::json out = {{"weights", f.weights}, {"model", spec.name}, {"width", spec.width},
                        {"classes", spec.num_classes}, {"data", data_json(data)},
                        {"precision", to_string(compute.precision)}};
  for (const char* split : {"train", "test"}) {
    if (f.split != "both" && f.split != split) continue;
    const Dataset& set = std::string(split) == "train" ? data.train : data.test;
    torch::Tensor logits;
    const EvalResult r = evaluate(*model, set, data.normalization, compute, f.batch_size,
                                  std::string(split) == "test" && !f.logits.empty() ? &logits : nullptr);
    out[split] = to_json(r);
    std::cout << fmt::format("{}: accuracy {:.2f}%, mean loss {:.4f} ({} images)\n", split, r.accuracy, r.loss, r.examples);
    if (logits.defined()) save_tensors({{"logits", logits}, {"labels", set.labels}}, f.logits);
  }
  if (!f.json.empty()) write_json_atomic(f.json, out);
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& app, Action& action) {
  auto flags = std::make_shared<EvalFlags>();
  auto& f = *flags;
  auto* cmd = app.add_subcommand("eval", "Test accuracy and mean loss of a state_dict (bgm's or PyTorch's) on a data set");
  cmd->add_option("--weights", f.weights, "state_dict file: bgm's weights or Python's torch.save(model.state_dict())")
      ->required();
  cmd->add_option("--model", f.model, "model: resnet18, resnet50, vgg16 or densenet40");
  cmd->add_option("--width", f.width, "model width (64 = the paper's)")->check(CLI::Range(int64_t{1}, int64_t{4096}));
  cmd->add_option("--data", f.data, "data directory (default: the embedded CIFAR-10 subset)");
  cmd->add_flag("--resize", f.resize, "image folders: area-average images of other sizes to 32x32");
  cmd->add_option("--split", f.split, "test, train or both")->check(CLI::IsMember({"test", "train", "both"}));
  cmd->add_option("--json", f.json, "also write the results to this JSON file");
  cmd->add_option("--logits", f.logits, "write the test images' logits and labels here (a dict torch.load reads)");
  cmd->add_option("--batch-size", f.batch_size, "evaluation batch")->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_option("--device", f.device, "cpu or cuda[:N]");
  cmd->add_option("--precision", f.precision, "fp32 (default), bf16 or auto");
  cmd->callback([flags, &action] { action = [flags] { return run_eval(*flags); }; });
}

}  // namespace bgm::cli
