// One test per kind of bad input the issue on crash-proof runs lists: each gives one line naming
// the file or option, the value and what was expected, a non-zero exit, and writes nothing (or
// leaves what was there intact). The messages are printed, so `--gtest_filter=BadInput*` shows
// what a user sees.
#include <gtest/gtest.h>
#include <png.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bgm/core/error.h"
#include "bgm/core/files.h"
#include "bgm/data/load.h"
#include "bgm/models/model_state.h"
#include "bgm/models/model_zoo.h"
#include "bgm/train/trainer.h"
#include "test_util.h"

namespace bgm {
namespace {

namespace fs = std::filesystem;

const char* const kTiny =
    " reproduce --threads 1 --width 4 --train-subset 20 --test-subset 10 --replicas 1 --batch-size 10"
    " --adv-epochs 1 --vanilla-epochs 1 --sota-epochs 1 --sota-schedule cosine:1 --measures false --precision fp32";

// Runs bgm; expects a failure whose one "bgm: error:" line contains `expected`; returns the line.
std::string expect_refused(const std::string& args, const std::string& expected) {
  std::string log;
  const int status = test::run_bgm(args, &log);
  EXPECT_NE(status, 0) << args << "\n" << log;
  const size_t at = log.find("bgm: error: ");
  EXPECT_NE(at, std::string::npos) << log;
  const std::string line = at == std::string::npos ? log : log.substr(at, log.find('\n', at) - at);
  EXPECT_NE(line.find(expected), std::string::npos) << args << "\n" << log;
  std::printf("  %s\n", line.c_str());
  return line;
}

// A study on `data` that must be refused before anything is written.
void expect_data_refused(const fs::path& data, const std::string& expected, const std::string& extra = "") {
  const fs::path root = data.parent_path();
  expect_refused(std::string(kTiny) + " --data " + data.string() + extra + " --out " + (root / "out").string() +
                     " --store " + (root / "store").string(),
                 expected);
  EXPECT_FALSE(fs::exists(root / "out"));
  EXPECT_FALSE(fs::exists(root / "store"));
}

// An image-folder tree with one 32x32 PNG per class in test/ and `train_file` as train/cat/0.png.
fs::path image_tree(const fs::path& root, const std::string& train_file) {
  const std::string good = test::encode_png(std::vector<uint8_t>(3072, 100), 32, 32);
  write_file_atomic(root / "data" / "train" / "cat" / "0.png", train_file);
  write_file_atomic(root / "data" / "test" / "cat" / "0.png", good);
  return root / "data";
}

const std::string kRecord = std::string(1, '\3') + std::string(3072, '\7');

fs::path cifar_dir(const fs::path& root, const std::string& first_batch) {
  write_file_atomic(root / "data" / "data_batch_1.bin", first_batch);
  for (int i = 2; i <= 5; ++i) write_file_atomic(root / "data" / ("data_batch_" + std::to_string(i) + ".bin"), kRecord);
  write_file_atomic(root / "data" / "test_batch.bin", kRecord);
  return root / "data";
}

}  // namespace

TEST(BadInput, CifarFilesTruncatedOversizedOrWithABadLabel) {
  {
    test::TempDir d;
    expect_data_refused(cifar_dir(d.path(), kRecord + kRecord.substr(0, 3000)), "data_batch_1.bin: got 6073 bytes");
  }
  {
    test::TempDir d;
    expect_data_refused(cifar_dir(d.path(), kRecord + kRecord + "extra"), "data_batch_1.bin: got 6151 bytes");
  }
  {
    test::TempDir d;
    expect_data_refused(cifar_dir(d.path(), std::string(1, '\x0a') + kRecord.substr(1)), "label byte 10");
  }
}

TEST(BadInput, ImagesEmptyCorruptSixteenBitOrOfTheWrongSize) {
  struct Case {
    std::string bytes, expected;
  };
  const std::vector<uint16_t> deep(32 * 32, 0x8080);
  const Case cases[] = {
      {"", "0.png: got a file of 0 bytes that is neither JPEG nor PNG"},
      {"\x89PNG\r\n\x1a\n not really", "0.png: got an undecodable PNG"},
      {std::string("\xFF\xD8\xFF\xE0", 4) + "cut", "0.png: got an undecodable JPEG"},
      {test::encode_png_as(std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(deep.data()),
                                                reinterpret_cast<const uint8_t*>(deep.data()) + 2 * deep.size()),
                           32, 32, PNG_FORMAT_LINEAR_Y),
       "0.png: got a 16-bit PNG, expected 8 bits per channel"},
      {test::encode_png(std::vector<uint8_t>(40 * 40 * 3, 9), 40, 40), "0.png: got a 40x40 image, expected 32x32 pixels"},
  };
  for (const auto& c : cases) {
    test::TempDir d;
    expect_data_refused(image_tree(d.path(), c.bytes), c.expected);
  }
}

TEST(BadInput, GrayscaleAndPaletteImagesAreConvertedAndResizeIsExplicit) {
  test::TempDir d;
  // Grayscale: R = G = B = the gray value. Palette: the colormap's colours.
  write_file_atomic(d.path() / "t" / "train" / "a" / "gray.png",
                    test::encode_png_as(std::vector<uint8_t>(1024, 77), 32, 32, PNG_FORMAT_GRAY));
  write_file_atomic(d.path() / "t" / "train" / "b" / "palette.png",
                    test::encode_png_as(std::vector<uint8_t>(1024, 1), 32, 32, PNG_FORMAT_RGB_COLORMAP, {0, 0, 0, 10, 20, 30}));
  write_file_atomic(d.path() / "t" / "test" / "a" / "big.png", test::encode_png(std::vector<uint8_t>(64 * 64 * 3, 50), 64, 64));
  write_file_atomic(d.path() / "t" / "test" / "b" / "0.png", test::encode_png(std::vector<uint8_t>(3072, 1), 32, 32));
  EXPECT_THROW(load_data(d.path() / "t"), Error);  // the 64x64 image, without --resize
  const auto data = load_data(d.path() / "t", "", /*resize=*/true);
  EXPECT_EQ(data.train.images[0].flatten().min().item<int>(), 77);
  EXPECT_EQ(data.train.images[0].flatten().max().item<int>(), 77);
  EXPECT_TRUE(data.train.images[1][5][7].equal(torch::tensor({10, 20, 30}, torch::kUInt8)));
  EXPECT_EQ(data.test.images[0].flatten().max().item<int>(), 50);  // area-averaged to 32x32
}

TEST(BadInput, EmptyClassFolderOrSplitWithoutClasses) {
  {
    test::TempDir d;
    const auto data = image_tree(d.path(), test::encode_png(std::vector<uint8_t>(3072, 1), 32, 32));
    fs::create_directories(data / "train" / "dog");
    fs::create_directories(data / "test" / "dog");
    expect_data_refused(data, "train/dog: got an empty class folder");
  }
  {
    test::TempDir d;
    fs::create_directories(d.path() / "data" / "train");
    fs::create_directories(d.path() / "data" / "test");
    expect_data_refused(d.path() / "data", "train: got no class folders");
  }
}

TEST(BadInput, ACheckpointOfAnotherArchitectureOrShape) {
  test::TempDir d;
  save_state_dict(*make_model({"resnet18", 10, 8}), d.path() / "w8.pt");
  save_state_dict(*make_model({"vgg16", 10, 8}), d.path() / "vgg.pt");
  write_file_atomic(d.path() / "notes.pt", "just text");
  const std::string study = std::string(kTiny) + " --out " + (d.path() / "out").string() + " --store " +
                            (d.path() / "store").string() + " --init-from ";
  expect_refused(study + (d.path() / "w8.pt").string(), "w8.pt key conv1.weight: got shape [8, 3, 3, 3], expected shape [4, 3, 3, 3]");
  expect_refused(study + (d.path() / "vgg.pt").string(), "vgg.pt: got no key 'conv1.weight'");
  expect_refused(study + (d.path() / "notes.pt").string(), "notes.pt: got a file that is not a zip archive");
  EXPECT_FALSE(fs::exists(d.path() / "out"));
  expect_refused("eval --model resnet18 --width 16 --weights " + (d.path() / "w8.pt").string(),
                 "expected shape [16, 3, 3, 3]");
}

TEST(BadInput, ConfigurationValuesOutOfRange) {
  test::TempDir d;
  const std::string out = " --out " + (d.path() / "out").string() + " --store " + (d.path() / "store").string();
  expect_refused(std::string(kTiny) + " --lr -0.1" + out, "--lr");
  expect_refused(std::string(kTiny) + " --replicas 0" + out, "--replicas: Value 0 not in range");
  expect_refused(std::string(kTiny) + " --zero-out 1" + out, "--zero-out: got 1.000000, expected a fraction in [0, 1)");
  expect_refused(std::string(kTiny) + " --zero-out -0.5" + out, "--zero-out");
  expect_refused("ablation --preset cpu --modes vanilla,fast" + out, "fast");
  EXPECT_FALSE(fs::exists(d.path() / "out"));
}

TEST(BadInput, AnOutputDirectoryThatCannotBeWritten) {
  test::TempDir d;
  write_file_atomic(d.path() / "file", "x");
  expect_refused(std::string(kTiny) + " --out " + (d.path() / "file" / "out").string() + " --store " +
                     (d.path() / "store").string(),
                 "--out " + (d.path() / "file" / "out").string() + ": got a path that cannot be created");
  EXPECT_EQ(read_file(d.path() / "file"), "x");
}

TEST(BadInput, AFullDiskWhileSavingKeepsThePreviousFile) {
  // The temporary name is a link to /dev/full: every write there fails with ENOSPC.
  test::TempDir d;
  write_file_atomic(d.path() / "summary.json", "old");
  fs::create_symlink("/dev/full", d.path() / "summary.json.tmp");
  try {
    write_file_atomic(d.path() / "summary.json", "new");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
    std::printf("  %s\n", e.what());
  }
  EXPECT_EQ(read_file(d.path() / "summary.json"), "old");
  EXPECT_FALSE(fs::exists(fs::symlink_status(d.path() / "summary.json.tmp")));

  // A run's checkpoint: the disk fills at the end of epoch 2; epoch 1's state is intact.
  const auto data = test::synthetic_dataset(16, 10, 1);
  torch::manual_seed(1);
  auto model = make_model({"resnet18", 10, 4});
  RunSpec spec;
  spec.name = "WVR";
  spec.sgd = vanilla_sgd(LrSchedule{});
  spec.sgd.batch_size = 8;
  spec.stop = {3, -1, 1};
  const fs::path ckpt = d.path() / "checkpoint.pt";
  std::string epoch1;
  TrainHooks hooks;
  hooks.after_step = [&](int epoch, int64_t step) {
    if (epoch == 2 && step == 1) {
      epoch1 = read_file(ckpt);
      fs::create_symlink("/dev/full", d.path() / "checkpoint.pt.tmp");
    }
  };
  try {
    train_run(*model, data, data, cifar10_normalization(), spec, Compute{}, {{}, ckpt, {}}, hooks);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("checkpoint.pt.tmp: could not write"), std::string::npos) << e.what();
    std::printf("  %s\n", e.what());
  }
  EXPECT_EQ(read_file(ckpt), epoch1);
}

}  // namespace bgm
