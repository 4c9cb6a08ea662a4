// The LibTorch networks have torchvision's structure: parameter counts, feature map shapes, head replacement,
// seeded initialisation, frozen batch norm.
#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/training/network_factory.h"

namespace lunglens::core::training {
namespace {

int64_t parameterCount(torch::nn::Module& net) {
  int64_t n = 0;
  for (const auto& p : net.parameters()) n += p.numel();
  return n;
}

struct Expected {
  Architecture architecture;
  int64_t parameters_1000_classes;  // torchvision's published counts
  int64_t feature_channels;
};

class NetworkShapes : public ::testing::TestWithParam<Expected> {};

TEST_P(NetworkShapes, MatchTorchvisionCountsAndFeatureMapShape) {
  const Expected e = GetParam();
  auto net = makeNetwork(e.architecture, 1000);
  EXPECT_EQ(parameterCount(*net), e.parameters_1000_classes);
  net->eval();
  torch::NoGradGuard no_grad;
  const auto out = net->forwardWithFeatures(torch::randn({2, 3, 224, 224}));
  EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{2, 1000}));
  EXPECT_EQ(out.feature_map.sizes(), (std::vector<int64_t>{2, e.feature_channels, 7, 7}));
  // The Grad-CAM map: the last feature map for ResNets, the stride-16 stage (96 channels, 14 x 14) for MobileNetV2.
  if (e.architecture == Architecture::MobileNetV2)
    EXPECT_EQ(out.cam_map.sizes(), (std::vector<int64_t>{2, 96, 14, 14}));
  else
    EXPECT_TRUE(out.cam_map.is_same(out.feature_map));
  EXPECT_EQ(net->featureChannels(), e.feature_channels);
}

TEST_P(NetworkShapes, HeadReplacementKeepsBackboneAndChangesClassCount) {
  const Expected e = GetParam();
  auto net = makeNetwork(e.architecture, 1000);
  const auto before = net->named_parameters();
  net->replaceHead(3);
  EXPECT_EQ(net->numClasses(), 3);
  const auto after = net->named_parameters();
  ASSERT_EQ(before.size(), after.size());
  for (const auto& p : after) {
    const bool head = p.key().rfind(net->headPrefix(), 0) == 0;
    if (head) {
      EXPECT_EQ(p.value().size(0), 3) << p.key();
    } else {
      EXPECT_TRUE(p.value().is_same(before[p.key()])) << p.key() << " should be untouched";
    }
  }
  net->eval();
  torch::NoGradGuard no_grad;
  EXPECT_EQ(net->forward(torch::randn({1, 3, 96, 128})).sizes(), (std::vector<int64_t>{1, 3}));
}

INSTANTIATE_TEST_SUITE_P(Torchvision, NetworkShapes,
                         ::testing::Values(Expected{Architecture::ResNet18, 11689512, 512},
                                           Expected{Architecture::ResNet34, 21797672, 512},
                                           Expected{Architecture::ResNet50, 25557032, 2048},
                                           Expected{Architecture::MobileNetV2, 3504872, 1280}),
                         [](const auto& info) { return architectureName(info.param.architecture); });

TEST(NetworkInit, SameSeedSameWeightsOtherSeedOtherWeights) {
  NetworkSpec spec;
  spec.architecture = Architecture::ResNet18;
  spec.num_classes = 3;
  spec.seed = 7;
  auto a = createNetwork(spec), b = createNetwork(spec);
  spec.seed = 8;
  auto c = createNetwork(spec);
  const auto pa = a->named_parameters(), pb = b->named_parameters(), pc = c->named_parameters();
  EXPECT_TRUE(torch::equal(pa["layer3.1.conv2.weight"], pb["layer3.1.conv2.weight"]));
  EXPECT_TRUE(torch::equal(pa["fc.weight"], pb["fc.weight"]));
  EXPECT_FALSE(torch::equal(pa["layer3.1.conv2.weight"], pc["layer3.1.conv2.weight"]));
}

TEST(NetworkInit, TorchvisionSchemeKaimingFanOutAndUnitBatchNorm) {
  auto net = makeNetwork(Architecture::MobileNetV2, 10);
  const auto p = net->named_parameters();
  // kaiming_normal_(fan_out, relu): std = sqrt(2 / (out_channels * k * k)); features.18.0 is 1280x320x1x1.
  const double std = p["features.18.0.weight"].std().item<double>();
  EXPECT_NEAR(std, std::sqrt(2.0 / 1280.0), 0.003);
  EXPECT_TRUE(torch::all(p["features.5.conv.1.1.weight"] == 1).item<bool>());
  EXPECT_NEAR(p["classifier.1.weight"].std().item<double>(), 0.01, 0.001);
  EXPECT_TRUE(torch::all(p["classifier.1.bias"] == 0).item<bool>());
}

TEST(NetworkTrainMode, FrozenBatchNormKeepsStatisticsWhileTraining) {
  auto net = makeNetwork(Architecture::ResNet18, 2);
  net->setBatchNormFrozen(true);
  net->train();
  EXPECT_TRUE(net->is_training());
  const torch::Tensor mean_before = net->named_buffers()["layer1.0.bn1.running_mean"].clone();
  net->forward(torch::randn({2, 3, 64, 64}) * 3 + 1);
  EXPECT_TRUE(torch::equal(mean_before, net->named_buffers()["layer1.0.bn1.running_mean"]));

  net->setBatchNormFrozen(false);
  net->train();
  net->forward(torch::randn({2, 3, 64, 64}) * 3 + 1);
  EXPECT_FALSE(torch::equal(mean_before, net->named_buffers()["layer1.0.bn1.running_mean"]));
}

TEST(NetworkSpecErrors, BadArchitectureNameAndClassCountAreInputErrors) {
  EXPECT_THROW(parseArchitecture("resnet101"), InputError);
  EXPECT_EQ(parseArchitecture("mobilenet_v2"), Architecture::MobileNetV2);
  EXPECT_THROW(makeNetwork(Architecture::ResNet18, 0), InputError);
  NetworkSpec spec;
  spec.architecture = Architecture::ResNet18;
  spec.init = InitSource::TfliteMobileNetV2;
  spec.weights_file = "whatever.tflite";
  EXPECT_THROW(createNetwork(spec), InputError);
}

}  // namespace
}  // namespace lunglens::core::training
