// A trained network written as a bundle loads in the inference engine (manifest, sha256, dry forward) and scores
// exactly as the C++ network does; Grad-CAM runs on it.
#include "core/training/bundle_writer.h"

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/inference/model.h"
#include "core/inference/preprocess.h"
#include "core/training/network_factory.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::training {
namespace {

inference::Manifest diagnosisManifest(const NetworkSpec& spec) {
  inference::Manifest m = trainingManifest(inference::Task::Diagnosis, 96, spec);
  m.name = "lunglens-test-diagnosis";
  m.version = "0.0.1";
  m.provenance.training_data = "test: untrained head on the ImageNet MobileNetV2";
  m.provenance.date = "2026-11-26";
  return m;
}

TEST(BundleWriter, InferenceEngineLoadsTheBundleAndScoresLikeTheNetwork) {
  NetworkSpec spec;
  spec.architecture = Architecture::MobileNetV2;
  spec.num_classes = 3;
  spec.init = InitSource::TfliteMobileNetV2;
  spec.weights_file = test::sharedData() / "pretrained" / "mobilenet_v2_1.0_224_quant.tflite";
  auto net = createNetwork(spec);
  net->eval();
  const inference::Manifest manifest = diagnosisManifest(spec);
  const auto dir = test::scratchDir("bundle") / "diagnosis";
  writeBundle(*net, manifest, dir, /*overwrite=*/false);
  EXPECT_THROW(writeBundle(*net, manifest, dir, /*overwrite=*/false), InputError);

  const auto model = inference::Model::load(dir);
  EXPECT_EQ(model->manifest().architecture, "mobilenet_v2");
  EXPECT_EQ(model->manifest().input.mean[0], 0.5);

  // A slice with structure: lung-like background, a soft-tissue block, a denser stripe.
  const int rows = 80, cols = 120;
  std::vector<std::int16_t> hu(rows * cols, -850);
  for (int y = 20; y < 60; ++y)
    for (int x = 30; x < 70; ++x) hu[y * cols + x] = 40;
  for (int x = 0; x < cols; ++x) hu[70 * cols + x] = 300;
  const std::vector<float> image = inference::preprocessSlice(hu.data(), rows, cols, model->manifest().input);
  const std::vector<float> probabilities = model->predict(image.data(), 1);
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::from_blob(const_cast<float*>(image.data()), {1, 3, 96, 96}).clone();
  const torch::Tensor expected = torch::softmax(net->forward(x), 1);
  ASSERT_EQ(probabilities.size(), 3u);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(probabilities[c], expected[0][c].item<float>(), 1e-4) << c;

  const auto explained = model->explain(image.data(), 0);
  // MobileNetV2 bundles explain the stride-16 stage: a 6 x 6 map at 96 px (the last map would be 3 x 3).
  EXPECT_EQ(explained.heatmap.height, 6);
  EXPECT_EQ(explained.heatmap.width, 6);
}

TEST(BundleWriter, MismatchedManifestIsRefusedBeforeWriting) {
  auto net = makeNetwork(Architecture::ResNet18, 2);
  NetworkSpec spec;
  inference::Manifest manifest = diagnosisManifest(spec);  // 3 classes
  const auto dir = test::scratchDir("bundle-bad") / "b";
  EXPECT_THROW(writeBundle(*net, manifest, dir, true), InputError);
  EXPECT_FALSE(std::filesystem::exists(dir / "model.pt"));
  auto three = makeNetwork(Architecture::ResNet18, 3);
  manifest.thresholds.clear();  // diagnosis needs a covid threshold: the manifest's own validation refuses it
  EXPECT_THROW(writeBundle(*three, manifest, dir, true), InputError);
  EXPECT_FALSE(std::filesystem::exists(dir / "model.pt"));
}

}  // namespace
}  // namespace lunglens::core::training
