// Grad-CAM on a small network trained here (LibTorch, no Python) to answer "is there a bright square?": the
// heatmap's peak, brought back to the slice grid, lies on the square.
#include <gtest/gtest.h>

#include <random>

#include <torch/torch.h>

#include "core/inference/heatmap.h"
#include "core/inference/model.h"
#include "core/inference/preprocess.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_net.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::core::inference;

namespace {

constexpr int kSlice = 48;  // native slice size (HU); the model sees it resized to 32 x 32
constexpr int kSquare = 9;

struct Example {
  std::vector<std::int16_t> hu;
  int x = -1, y = -1;  // square's top-left corner; -1 = none
};

Example makeSlice(std::mt19937& rng, bool square) {
  std::normal_distribution<double> noise(0.0, 60.0);
  std::uniform_int_distribution<int> pos(2, kSlice - kSquare - 2);
  Example e;
  e.hu.resize(kSlice * kSlice);
  for (auto& v : e.hu) v = static_cast<std::int16_t>(-700 + noise(rng));
  if (square) {
    e.x = pos(rng);
    e.y = pos(rng);
    for (int y = e.y; y < e.y + kSquare; ++y)
      for (int x = e.x; x < e.x + kSquare; ++x) e.hu[y * kSlice + x] = static_cast<std::int16_t>(300 + noise(rng));
  }
  return e;
}

// Trains the TinyNet's parameters (TorchScript module, C++ optimiser): square -> covid (0), none -> normal (2).
void train(torch::jit::Module& net, const InputSpec& spec) {
  std::mt19937 rng(11);
  std::vector<at::Tensor> params;
  for (const auto& p : net.parameters()) {
    p.set_requires_grad(true);
    params.push_back(p);
  }
  torch::optim::Adam opt(params, torch::optim::AdamOptions(0.02));
  net.train();
  const int batch = 32;
  for (int step = 0; step < 150; ++step) {
    at::Tensor x = torch::empty({batch, 1, spec.height, spec.width});
    at::Tensor y = torch::empty({batch}, torch::kLong);
    for (int i = 0; i < batch; ++i) {
      const bool square = i % 2 == 0;
      const Example e = makeSlice(rng, square);
      preprocessSlice(e.hu.data(), kSlice, kSlice, spec, x[i].data_ptr<float>());
      y[i] = square ? 0 : 2;
    }
    opt.zero_grad();
    const auto out = net.forward({x}).toTuple()->elements();
    const at::Tensor loss = torch::nn::functional::cross_entropy(out[0].toTensor(), y);
    loss.backward();
    opt.step();
  }
  net.eval();
}

}  // namespace

TEST(GradCam, PeakLiesOnTheBrightSquareTheModelLearnedToDetect) {
  test::TinySpec spec;
  spec.features = 8;
  Manifest manifest = test::tinyManifest(spec);
  manifest.input.channels = {{1000, -200, ""}};
  manifest.input.mean = {0.3};
  manifest.input.std = {0.3};
  torch::jit::Module net = test::makeTinyNet(spec, 3);
  train(net, manifest.input);
  const fs::path dir = test::scratchDir("gradcam") / "square-detector";
  fs::create_directories(dir);
  net.save((dir / "model.pt").string());
  test::writeManifestFor(dir, manifest);
  const auto model = Model::load(dir);

  std::mt19937 rng(2024);
  int hits = 0, detected = 0;
  const int trials = 12;
  for (int t = 0; t < trials; ++t) {
    const Example e = makeSlice(rng, true);
    const auto input = preprocessSlice(e.hu.data(), kSlice, kSlice, model->manifest().input);
    const auto explained = model->explain(input.data());
    if (explained.heatmap.class_name == "covid") ++detected;
    // Explain the square class whatever was predicted.
    const auto cam = model->explain(input.data(), 0).heatmap;
    ASSERT_EQ(cam.height, 16);
    ASSERT_EQ(cam.width, 16);
    const auto map = heatmapOnSlice(cam, kSlice, kSlice, model->manifest().input);
    const auto peak = std::max_element(map.begin(), map.end()) - map.begin();
    const int px = static_cast<int>(peak % kSlice), py = static_cast<int>(peak / kSlice);
    if (px >= e.x - 1 && px <= e.x + kSquare && py >= e.y - 1 && py <= e.y + kSquare) ++hits;
    EXPECT_NEAR(*std::max_element(cam.values.begin(), cam.values.end()), 1.0f, 1e-3);
  }
  EXPECT_GE(detected, trials - 1) << "the trained model should see the squares";
  EXPECT_GE(hits, trials - 1) << "the heatmap peak should lie on the square";

  // The frozen Grad-CAM path explains exactly like the module as saved.
  const auto plain = Model::load(dir, {false, false});
  const Example probe = makeSlice(rng, true);
  const auto probe_input = preprocessSlice(probe.hu.data(), kSlice, kSlice, model->manifest().input);
  const auto a = model->explain(probe_input.data(), 0).heatmap, b = plain->explain(probe_input.data(), 0).heatmap;
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) EXPECT_NEAR(a.values[i], b.values[i], 1e-4);

  // A slice without a square is scored normal.
  const Example none = makeSlice(rng, false);
  const auto input = preprocessSlice(none.hu.data(), kSlice, kSlice, model->manifest().input);
  const auto p = model->predict(input.data(), 1);
  EXPECT_GT(p[2], 0.5f);
}

TEST(GradCam, HeatmapUpsamplingFollowsTheLetterbox) {
  // A 2x2 map over a 4x4 input; a 4x2 slice is letterboxed into the middle two columns of the input.
  InputSpec spec;
  spec.height = spec.width = 4;
  spec.channels = {{1, 0, ""}};
  spec.mean = {0};
  spec.std = {1};
  Heatmap h;
  h.height = h.width = 2;
  h.values = {0, 1, 0, 1};  // right half hot
  const auto on_slice = heatmapOnSlice(h, 4, 2, spec);
  // Slice columns land on input columns 1 and 2: feature x = (1.5)*2/4-0.5 = 0.25 and 0.75.
  for (int y = 0; y < 4; ++y) {
    EXPECT_NEAR(on_slice[y * 2 + 0], 0.25f, 1e-6);
    EXPECT_NEAR(on_slice[y * 2 + 1], 0.75f, 1e-6);
  }
  const auto grey = heatmapOnSliceGrey(h, 4, 2, spec);
  EXPECT_EQ(grey[1], 191);
}
