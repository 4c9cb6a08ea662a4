// Weights from a torchvision model the user brings: Debian's /usr/bin/python3 (torch + torchvision) exports a
// randomly initialised model at test time (scripts/python/torchvision_parity.py); every parameter loads by name
// and the C++ network's logits match Python's on the same input within 1e-4, from both accepted formats.
#include "core/training/torchvision_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>

#include "core/common/error.h"
#include "core/training/network_factory.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::training {
namespace {

namespace fs = std::filesystem;
constexpr int kHeight = 128, kWidth = 160;  // the script's default --size

bool pythonHasTorchvision() {
  static const bool ok = std::system("/usr/bin/python3 -c 'import torch, torchvision' > /dev/null 2>&1") == 0;
  return ok;
}

torch::Tensor readFloats(const fs::path& file, std::vector<int64_t> shape) {
  std::ifstream in(file, std::ios::binary);
  std::vector<float> values(std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>()));
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(float)));
  if (!in) ADD_FAILURE() << "cannot read " << file;
  return torch::from_blob(values.data(), shape, torch::kFloat).clone();
}

// The exports (up to ~200 MB for resnet50) live in a folder of this process's own (ctest runs tests in
// parallel processes), removed when the process ends.
struct ProcessScratch {
  fs::path dir = test::binaryDir() / "test-scratch" / ("torchvision-import-" + std::to_string(::getpid()));
  ~ProcessScratch() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

// Exports once per architecture and process.
fs::path exportReference(const std::string& arch) {
  static ProcessScratch scratch;
  static std::map<std::string, fs::path> done;
  if (done.count(arch)) return done[arch];
  const fs::path dir = scratch.dir / arch;
  const std::string command = "/usr/bin/python3 " +
                              (test::sourceDir() / "scripts/python/torchvision_parity.py").string() + " " + arch + " " +
                              dir.string() + " --size " + std::to_string(kHeight) + " " + std::to_string(kWidth);
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return done[arch] = dir;
}

class TorchvisionImport : public ::testing::TestWithParam<Architecture> {
 protected:
  void SetUp() override {
    if (!pythonHasTorchvision())
      GTEST_SKIP() << "/usr/bin/python3 lacks torch/torchvision (Debian python3-torchvision): cannot export a "
                      "reference torchvision model";
    arch_ = architectureName(GetParam());
    dir_ = exportReference(arch_);
  }
  fs::path file(const std::string& suffix) const { return dir_ / (arch_ + suffix); }

  void expectParity(const fs::path& weights) {
    NetworkSpec spec;
    spec.architecture = GetParam();
    spec.num_classes = 1000;
    spec.init = InitSource::TorchvisionFile;
    spec.weights_file = weights;
    auto net = createNetwork(spec);
    net->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor x = readFloats(file(".input.f32"), {2, 3, kHeight, kWidth});
    const torch::Tensor expected = readFloats(file(".logits.f32"), {2, 1000});
    const torch::Tensor logits = net->forward(x);
    EXPECT_LT((logits - expected).abs().max().item<double>(), 1e-4) << weights;
    EXPECT_GT(expected.abs().max().item<double>(), 1e-2) << "a vacuous comparison";
  }

  std::string arch_;
  fs::path dir_;
};

TEST_P(TorchvisionImport, ModuleNamesAndShapesAreTorchvisions) {
  std::map<std::string, std::string> torchvision;
  std::ifstream names(file(".names.txt"));
  for (std::string name, shape; names >> name >> shape;) torchvision[name] = shape;
  ASSERT_FALSE(torchvision.empty());
  auto net = makeNetwork(GetParam(), 1000);
  std::map<std::string, std::string> ours;
  auto add = [&](const std::string& name, const torch::Tensor& t) {
    std::string shape;
    for (auto d : t.sizes()) shape += (shape.empty() ? "" : "x") + std::to_string(d);
    ours[name] = shape.empty() ? "scalar" : shape;
  };
  for (const auto& p : net->named_parameters()) add(p.key(), p.value());
  for (const auto& b : net->named_buffers()) add(b.key(), b.value());
  EXPECT_EQ(ours, torchvision);
}

TEST_P(TorchvisionImport, TorchScriptExportGivesPythonsLogits) { expectParity(file(".torchscript.pt")); }

TEST_P(TorchvisionImport, StateDictGivesPythonsLogits) { expectParity(file(".state_dict.pt")); }

TEST_P(TorchvisionImport, TaskHeadReplacesImageNetHeadAndEverythingElseLoads) {
  auto net = makeNetwork(GetParam(), 3);
  const auto weights = readTorchvisionStateDict(file(".torchscript.pt"));
  const WeightLoadReport report = loadStateDict(*net, weights, "test");
  EXPECT_EQ(report.head_skipped, (std::vector<std::string>{net->headPrefix() + "weight", net->headPrefix() + "bias"}));
  EXPECT_EQ(report.loaded.size() + report.head_skipped.size(), weights.size());
  const auto params = net->named_parameters();
  const std::string some =
      GetParam() == Architecture::MobileNetV2 ? "features.7.conv.1.0.weight" : "layer3.0.conv1.weight";
  EXPECT_TRUE(torch::equal(params[some], weights.at(some)));
}

INSTANTIATE_TEST_SUITE_P(Torchvision, TorchvisionImport,
                         ::testing::Values(Architecture::ResNet18, Architecture::ResNet50, Architecture::ResNet34,
                                           Architecture::MobileNetV2),
                         [](const auto& info) { return architectureName(info.param); });

TEST(TorchvisionImportErrors, WrongArchitectureNamesTheMissingTensor) {
  if (!pythonHasTorchvision()) GTEST_SKIP() << "/usr/bin/python3 lacks torch/torchvision";
  const auto weights = readTorchvisionStateDict(exportReference("resnet18") / "resnet18.state_dict.pt");
  auto net = makeNetwork(Architecture::ResNet34, 1000);
  try {
    loadStateDict(*net, weights, "resnet18.state_dict.pt");
    FAIL() << "resnet18 weights loaded into a resnet34";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("layer1.2.conv1.weight"), std::string::npos) << e.what();
  }
}

TEST(TorchvisionImportErrors, UnreadableFilesAreInputErrors) {
  const fs::path dir = test::scratchDir("torchvision-bad");
  EXPECT_THROW(readTorchvisionStateDict(dir / "missing.pt"), InputError);
  std::ofstream(dir / "garbage.pt") << "this is not a zip archive";
  EXPECT_THROW(readTorchvisionStateDict(dir / "garbage.pt"), InputError);
  if (!pythonHasTorchvision()) return;
  // A truncated TorchScript archive.
  const fs::path good = exportReference("resnet18") / "resnet18.torchscript.pt";
  std::ifstream in(good, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(dir / "truncated.pt", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_THROW(readTorchvisionStateDict(dir / "truncated.pt"), InputError);
}

}  // namespace
}  // namespace lunglens::core::training
