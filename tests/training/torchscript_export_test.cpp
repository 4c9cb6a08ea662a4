// The Python-free TorchScript export: model.pt loads with torch::jit::load, returns (logits, feature_map), and
// matches the C++ network in eval mode (BatchNorm folded) within 1e-4.
#include "core/training/torchscript_export.h"

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/training/mobilenet_v2.h"
#include "core/training/network_factory.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::training {
namespace {

// Non-trivial BN statistics and affine terms, so the folding is really exercised.
void randomiseBatchNorm(torch::nn::Module& net) {
  torch::NoGradGuard no_grad;
  for (const auto& m : net.modules()) {
    if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
      bn->running_mean.normal_(0.0, 0.1);
      bn->running_var.uniform_(0.5, 2.0);
      bn->weight.uniform_(0.5, 1.5);
      bn->bias.normal_(0.0, 0.1);
    }
  }
}

struct Case {
  std::string name;
  std::function<std::shared_ptr<ClassifierNet>()> make;
  int64_t cam_channels;  // the Grad-CAM map model.pt returns
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class TorchScriptExport : public ::testing::TestWithParam<Case> {};

TEST_P(TorchScriptExport, LoadedModuleMatchesNetworkInEvalMode) {
  torch::manual_seed(3);
  auto net = GetParam().make();
  randomiseBatchNorm(*net);
  net->eval();
  const auto model_pt = test::scratchDir("export") / "model.pt";
  saveTorchScript(*net, model_pt, /*overwrite=*/false);
  EXPECT_THROW(saveTorchScript(*net, model_pt, /*overwrite=*/false), InputError);

  torch::jit::Module loaded = torch::jit::load(model_pt.string());
  loaded.eval();
  // An odd size, so strided convs see odd inputs (and TF "SAME" padding its symmetric case).
  const torch::Tensor x = torch::randn({2, 3, 161, 130});
  torch::NoGradGuard no_grad;
  const auto expected = net->forwardWithFeatures(x);
  const auto result = loaded.forward({x}).toTuple();
  ASSERT_EQ(result->elements().size(), 2u);
  const torch::Tensor logits = result->elements()[0].toTensor();
  const torch::Tensor features = result->elements()[1].toTensor();
  EXPECT_EQ(logits.sizes(), expected.logits.sizes());
  EXPECT_EQ(features.size(0), 2);
  EXPECT_EQ(features.size(1), GetParam().cam_channels);
  EXPECT_EQ(features.sizes(), expected.cam_map.sizes());
  EXPECT_LT((logits - expected.logits).abs().max().item<double>(), 1e-4);
  EXPECT_GT(expected.logits.abs().max().item<double>(), 1e-3) << "a vacuous comparison";
  // The feature map itself agrees to float rounding of the folded BN, relative to its size (deep random-init
  // ResNets reach activations in the hundreds).
  const double feature_scale = std::max(1.0, expected.cam_map.abs().max().item<double>());
  EXPECT_LT((features - expected.cam_map).abs().max().item<double>() / feature_scale, 1e-5)
      << "feature map scale " << feature_scale;
}

TEST_P(TorchScriptExport, FeatureMapCarriesGradientsForGradCam) {
  auto net = GetParam().make();
  net->eval();
  torch::jit::Module module = exportTorchScript(*net);
  const auto result = module.forward({torch::randn({1, 3, 96, 96})}).toTuple();
  const torch::Tensor logits = result->elements()[0].toTensor();
  const torch::Tensor features = result->elements()[1].toTensor();
  ASSERT_TRUE(logits.requires_grad());
  const auto grads = torch::autograd::grad({logits.select(1, 0).sum()}, {features});
  ASSERT_EQ(grads.size(), 1u);
  EXPECT_EQ(grads[0].sizes(), features.sizes());
  EXPECT_GT(grads[0].abs().sum().item<double>(), 0.0);
}

INSTANTIATE_TEST_SUITE_P(
    Networks, TorchScriptExport,
    ::testing::Values(
        Case{"resnet18", [] { return makeNetwork(Architecture::ResNet18, 3); }, 512},
        Case{"resnet50", [] { return makeNetwork(Architecture::ResNet50, 3); }, 2048},
        Case{"mobilenet_v2", [] { return makeNetwork(Architecture::MobileNetV2, 3); }, 96},
        Case{"mobilenet_v2_tf_padding",
             [] { return std::static_pointer_cast<ClassifierNet>(std::make_shared<MobileNetV2>(3, true)); }, 96}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace lunglens::core::training
