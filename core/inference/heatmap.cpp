#include "core/inference/heatmap.h"

#include <algorithm>
#include <cmath>

#include "core/inference/preprocess.h"

namespace lunglens::core::inference {
namespace {

// Source index pair and weight for sampling a grid of `n` cells at continuous coordinate `f` (cell centres at i).
struct Sample {
  int i0, i1;
  float w1;
};

Sample sampleAt(double f, int n) {
  f = std::clamp(f, 0.0, static_cast<double>(n - 1));
  const int i0 = static_cast<int>(f);
  const int i1 = std::min(i0 + 1, n - 1);
  return {i0, i1, static_cast<float>(f - i0)};
}

// Native pixel index -> continuous feature-grid coordinate along one axis.
std::vector<Sample> axis(int native, int resized, int offset, int input, int grid) {
  std::vector<Sample> out(static_cast<std::size_t>(native));
  for (int i = 0; i < native; ++i) {
    const double u = offset + (i + 0.5) * resized / native - 0.5;  // input-pixel coordinate (centre convention)
    const double f = (u + 0.5) * grid / input - 0.5;               // feature-cell coordinate
    out[static_cast<std::size_t>(i)] = sampleAt(f, grid);
  }
  return out;
}

}  // namespace

std::vector<float> heatmapOnSlice(const Heatmap& map, int rows, int cols, const InputSpec& spec) {
  std::vector<float> out(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols), 0.0f);
  if (map.empty() || rows <= 0 || cols <= 0) return out;
  const Letterbox box = letterbox(rows, cols, spec.height, spec.width);
  const auto sy = axis(rows, box.resized_rows, box.offset_y, spec.height, map.height);
  const auto sx = axis(cols, box.resized_cols, box.offset_x, spec.width, map.width);
  const float* v = map.values.data();
  for (int y = 0; y < rows; ++y) {
    const Sample& a = sy[static_cast<std::size_t>(y)];
    const float* r0 = v + static_cast<std::size_t>(a.i0) * map.width;
    const float* r1 = v + static_cast<std::size_t>(a.i1) * map.width;
    float* row = out.data() + static_cast<std::size_t>(y) * cols;
    for (int x = 0; x < cols; ++x) {
      const Sample& b = sx[static_cast<std::size_t>(x)];
      const float top = r0[b.i0] + b.w1 * (r0[b.i1] - r0[b.i0]);
      const float bottom = r1[b.i0] + b.w1 * (r1[b.i1] - r1[b.i0]);
      row[x] = top + a.w1 * (bottom - top);
    }
  }
  return out;
}

std::vector<std::uint8_t> heatmapOnSliceGrey(const Heatmap& map, int rows, int cols, const InputSpec& spec) {
  const auto values = heatmapOnSlice(map, rows, cols, spec);
  std::vector<std::uint8_t> out(values.size());
  std::transform(values.begin(), values.end(), out.begin(), [](float v) {
    return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
  });
  return out;
}

}  // namespace lunglens::core::inference
