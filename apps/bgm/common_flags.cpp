#include "common_flags.h"

namespace bgm::cli {

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& v) {
        double x = 0;
        return CLI::detail::lexical_cast(v, x) && x > 0 ? std::string() : "got " + v + ", expected a number > 0";
      },
      "POSITIVE");
}

void add_common_flags(CLI::App& cmd, CommonFlags& f) {
  cmd.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd.add_option("--data", f.data, "data directory (default: the embedded CIFAR-10 subset)");
  cmd.add_option("--out", f.out, "output directory");
  cmd.add_option("--model", f.model, "model: resnet18, resnet50, vgg16 or densenet40");
  cmd.add_option("--width", f.width, "model width, 64 = the paper's (ResNet/VGG first-stage channels; DenseNet growth 12*W/64)")
      ->check(CLI::Range(int64_t{1}, int64_t{4096}));
  cmd.add_flag("--resize", f.resize, "image folders: area-average images of other sizes to 32x32 (else they are refused)");
  cmd.add_option("--train-subset", f.train_subset, "seeded class-balanced subset of N training images (0 = all)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--test-subset", f.test_subset, "same for the test set")->check(CLI::NonNegativeNumber);
  cmd.add_option("--zero-out", f.zero_out, "Algorithm 1: fraction of the 3072 entries set to 0 per copy")
      ->check(CLI::Range(0.0, 1.0));
  cmd.add_option("--lr", f.lr, "initial learning rate of every run")->check(positive_number());
  cmd.add_option("--weight-decay", f.weight_decay, "l2 weight decay (default: the data set's, PAPER.md)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--momentum", f.momentum, "momentum of the momentum modes")->check(CLI::Range(0.0, 0.999999));
  cmd.add_option("--batch-size", f.batch_size, "mini-batch size")->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd.add_option("--drop-last", f.drop_last, "drop each epoch's incomplete last batch (true/false)");
  cmd.add_option("--device", f.device, "cpu or cuda[:N]");
  cmd.add_option("--precision", f.precision, "fp32, bf16 (autocast; weights stay fp32) or auto (bf16 where the hardware has it)");
  cmd.add_option("--channels-last", f.channels_last, "channels-last activations (true/false)");
  cmd.add_option("--measures", f.measures, "measure every model: norms, spectral norms, Hessian, FGSM (true/false)");
  cmd.add_option("--fgsm-eps", f.fgsm_eps, "FGSM epsilons in 1/255 units, e.g. 0,1,2,4,8")
      ->delimiter(',')
      ->check(CLI::Range(0, 255));
  cmd.add_option("--hessian-images", f.hessian_images, "training images of the Hessian's loss (0 = no Hessian)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--hessian-iterations", f.hessian_iterations, "power iterations for the top Hessian eigenvalue")
      ->check(CLI::Range(1, 10000));
  cmd.add_option("--path-points", f.path_points, "reproduce: points on the lines W0R->WVR and W0A->WVA (0 = none)")
      ->check(CLI::Range(0, 1001));
}

MeasureConfig resolve_measures(const CommonFlags& f) {
  MeasureConfig m;
  m.enabled = f.measures;
  m.fgsm_eps = f.fgsm_eps;
  m.hessian_images = f.hessian_images;
  m.hessian_iterations = f.hessian_iterations;
  m.path_points = f.path_points;
  return m;
}

bool given(const CLI::App& cmd, const char* name) { return cmd.get_option(name)->count() > 0; }

Compute resolve_compute(const CommonFlags& f, const CLI::App& cmd, std::string& precision) {
  Compute c;
  c.device = parse_device(f.device);
  if (given(cmd, "--precision")) precision = f.precision;
  c.precision = parse_precision(precision, c.device);
  c.channels_last = f.channels_last;
  return c;
}

}  // namespace bgm::cli
