// Preprocessing against an independent reference built from LibTorch ops (clamp, F::interpolate bilinear with
// align_corners=false, F::pad), and a few values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

// LibTorch's interpolate options trip GCC 12's -Wmaybe-uninitialized inside <vector> when inlined (third-party).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <torch/torch.h>
#pragma GCC diagnostic pop

#include "core/inference/preprocess.h"

using namespace lunglens::core::inference;
namespace F = torch::nn::functional;

namespace {

std::vector<std::int16_t> phantomSlice(int rows, int cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 40.0);
  std::vector<std::int16_t> hu(static_cast<std::size_t>(rows) * cols);
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      const double dx = (x - cols / 2.0) / (cols * 0.4), dy = (y - rows / 2.0) / (rows * 0.35);
      double v = dx * dx + dy * dy < 1.0 ? -850.0 : (dx * dx + dy * dy < 1.3 ? 60.0 : -1000.0);  // lung, wall, air
      if ((x / 7 + y / 5) % 9 == 0) v = 700.0;                                                    // bone-bright
      hu[static_cast<std::size_t>(y) * cols + x] = static_cast<std::int16_t>(std::lround(v + noise(rng)));
    }
  }
  return hu;
}

// The reference: the same steps written with LibTorch's own operators.
at::Tensor reference(const std::vector<std::int16_t>& hu, int rows, int cols, const InputSpec& spec) {
  const at::Tensor img = torch::from_blob(const_cast<std::int16_t*>(hu.data()), {rows, cols}, torch::kInt16)
                             .to(torch::kFloat64);
  const double scale = std::min(double(spec.height) / rows, double(spec.width) / cols);
  const int64_t rr = std::lround(rows * scale), rc = std::lround(cols * scale);
  const int64_t top = (spec.height - rr) / 2, left = (spec.width - rc) / 2;
  std::vector<at::Tensor> planes;
  for (std::size_t c = 0; c < spec.channels.size(); ++c) {
    const auto& w = spec.channels[c];
    const double lo = w.level - w.width / 2;
    const at::Tensor unit = ((img.clamp(lo, lo + w.width) - lo) / w.width).to(torch::kFloat32);
    const at::Tensor resized =
        F::interpolate(unit.view({1, 1, rows, cols}),
                       F::InterpolateFuncOptions().size(std::vector<int64_t>{rr, rc}).mode(torch::kBilinear)
                           .align_corners(false));
    const double air = std::clamp((-1000.0 - lo) / w.width, 0.0, 1.0);
    const at::Tensor padded =
        F::pad(resized, F::PadFuncOptions({left, spec.width - rc - left, top, spec.height - rr - top}).value(air));
    planes.push_back(((padded - spec.mean[c]) / spec.std[c]).view({spec.height, spec.width}));
  }
  return torch::stack(planes);
}

InputSpec threeWindows(int h, int w) {
  InputSpec s;
  s.height = h;
  s.width = w;
  s.channels = {{1500, -600, ""}, {350, 40, ""}, {1500, -600, ""}};
  s.mean = {0.485, 0.456, 0.406};
  s.std = {0.229, 0.224, 0.225};
  return s;
}

void expectMatchesReference(int rows, int cols, const InputSpec& spec, unsigned seed) {
  const auto hu = phantomSlice(rows, cols, seed);
  const std::vector<float> ours = preprocessSlice(hu.data(), rows, cols, spec);
  const at::Tensor ref = reference(hu, rows, cols, spec).contiguous();
  ASSERT_EQ(static_cast<int64_t>(ours.size()), ref.numel());
  const at::Tensor got = torch::from_blob(const_cast<float*>(ours.data()), ref.sizes(), torch::kFloat32);
  // Source coordinates are floats: LibTorch's kernel may round them one ulp differently (about 3e-5 pixel at 512),
  // which moves a value by that fraction of a neighbour step. So: tiny everywhere, and ~exact on average.
  const at::Tensor diff = (got - ref).abs();
  EXPECT_LT(diff.max().item<double>(), 3e-4) << rows << "x" << cols << " -> " << spec.height << "x" << spec.width;
  EXPECT_LT(diff.mean().item<double>(), 3e-6) << rows << "x" << cols << " -> " << spec.height << "x" << spec.width;
  // And the input is not trivially constant (the slice's structure made it through).
  EXPECT_GT(ref.std().item<double>(), 0.1);
}

}  // namespace

TEST(Preprocess, DownsampledSquareSliceMatchesReference) { expectMatchesReference(512, 512, threeWindows(224, 224), 1); }

TEST(Preprocess, WideSliceIsLetterboxedLikeReference) { expectMatchesReference(300, 512, threeWindows(224, 224), 2); }

TEST(Preprocess, TallSmallSliceUpsampledLikeReference) { expectMatchesReference(90, 40, threeWindows(64, 96), 3); }

TEST(Preprocess, SingleChannelCustomWindowLikeReference) {
  InputSpec s;
  s.height = s.width = 128;
  s.channels = {{400, 40, ""}};
  s.mean = {0.2};
  s.std = {0.5};
  expectMatchesReference(256, 200, s, 4);
}

TEST(Preprocess, HandWorkedValues) {
  // 2x2 slice into a 4x2 input: scale = min(4/2, 2/2) = 1 -> no resize, padded one row above and below.
  const std::int16_t hu[] = {-1000, 0, 500, 2000};
  InputSpec s;
  s.height = 4;
  s.width = 2;
  s.channels = {{2000, 0, ""}};  // -1000 -> 0, 0 -> 0.5, 500 -> 0.75, >= 1000 -> 1
  s.mean = {0.5};
  s.std = {0.25};
  const auto out = preprocessSlice(hu, 2, 2, s);
  const std::vector<float> expected = {-2, -2, -2, 0, 1, 2, -2, -2};  // (v - 0.5) / 0.25; padding = air = 0
  ASSERT_EQ(out.size(), expected.size());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], expected[i], 1e-6) << i;
}

TEST(Preprocess, LetterboxKeepsAspectAndCentres) {
  const Letterbox b = letterbox(300, 512, 224, 224);
  EXPECT_EQ(b.resized_cols, 224);
  EXPECT_EQ(b.resized_rows, 131);  // 300 * 224 / 512 = 131.25
  EXPECT_EQ(b.offset_x, 0);
  EXPECT_EQ(b.offset_y, 46);
}
