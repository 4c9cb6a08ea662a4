#include "core/inference/preprocess.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace lunglens::core::inference {
namespace {

// One output coordinate's two source indices and the weight of the second (half-pixel centres, clamped at 0).
struct Tap {
  int i0, i1;
  float w1;
};

std::vector<Tap> taps(int in_size, int out_size) {
  std::vector<Tap> out(static_cast<std::size_t>(out_size));
  const float ratio = static_cast<float>(in_size) / static_cast<float>(out_size);
  for (int o = 0; o < out_size; ++o) {
    float src = ratio * (static_cast<float>(o) + 0.5f) - 0.5f;
    if (src < 0.0f) src = 0.0f;
    const int i0 = std::min(static_cast<int>(src), in_size - 1);
    const int i1 = i0 < in_size - 1 ? i0 + 1 : i0;
    out[static_cast<std::size_t>(o)] = {i0, i1, std::clamp(src - static_cast<float>(i0), 0.0f, 1.0f)};
  }
  return out;
}

}  // namespace

Letterbox letterbox(int rows, int cols, int height, int width) {
  Letterbox box;
  box.scale = std::min(static_cast<double>(height) / rows, static_cast<double>(width) / cols);
  box.resized_rows = std::clamp(static_cast<int>(std::lround(rows * box.scale)), 1, height);
  box.resized_cols = std::clamp(static_cast<int>(std::lround(cols * box.scale)), 1, width);
  box.offset_y = (height - box.resized_rows) / 2;
  box.offset_x = (width - box.resized_cols) / 2;
  return box;
}

void preprocessSlice(const std::int16_t* hu, int rows, int cols, const InputSpec& spec, float* out) {
  if (rows <= 0 || cols <= 0) throw InputError("preprocess", "empty slice");
  const int H = spec.height, W = spec.width;
  const Letterbox box = letterbox(rows, cols, H, W);
  const auto ty = taps(rows, box.resized_rows);
  const auto tx = taps(cols, box.resized_cols);
  const std::size_t plane = static_cast<std::size_t>(H) * static_cast<std::size_t>(W);

  for (std::size_t c = 0; c < spec.channels.size(); ++c) {
    const volume::Window& w = spec.channels[c];
    const float mean = static_cast<float>(spec.mean[c]);
    const float inv_std = static_cast<float>(1.0 / spec.std[c]);
    float* dst = out + c * plane;
    // Same window as an earlier channel (e.g. lung/mediastinum/lung): copy that plane.
    bool copied = false;
    for (std::size_t p = 0; p < c && !copied; ++p) {
      const auto& q = spec.channels[p];
      if (q.width == w.width && q.level == w.level && spec.mean[p] == spec.mean[c] && spec.std[p] == spec.std[c]) {
        std::copy(out + p * plane, out + (p + 1) * plane, dst);
        copied = true;
      }
    }
    if (copied) continue;

    // Windowing is applied to the four source pixels before interpolating (window first, then resize).
    const float air = (windowToUnit(kAirHu, w) - mean) * inv_std;
    std::fill(dst, dst + plane, air);
    for (int y = 0; y < box.resized_rows; ++y) {
      const Tap& a = ty[static_cast<std::size_t>(y)];
      const std::int16_t* r0 = hu + static_cast<std::size_t>(a.i0) * static_cast<std::size_t>(cols);
      const std::int16_t* r1 = hu + static_cast<std::size_t>(a.i1) * static_cast<std::size_t>(cols);
      float* row = dst + static_cast<std::size_t>(y + box.offset_y) * W + box.offset_x;
      for (int x = 0; x < box.resized_cols; ++x) {
        const Tap& b = tx[static_cast<std::size_t>(x)];
        const float v00 = windowToUnit(r0[b.i0], w), v01 = windowToUnit(r0[b.i1], w);
        const float v10 = windowToUnit(r1[b.i0], w), v11 = windowToUnit(r1[b.i1], w);
        const float top = v00 + b.w1 * (v01 - v00);
        const float bottom = v10 + b.w1 * (v11 - v10);
        row[x] = (top + a.w1 * (bottom - top) - mean) * inv_std;
      }
    }
  }
}

std::vector<float> preprocessSlice(const std::int16_t* hu, int rows, int cols, const InputSpec& spec) {
  std::vector<float> out(spec.valuesPerImage());
  preprocessSlice(hu, rows, cols, spec, out.data());
  return out;
}

}  // namespace lunglens::core::inference
