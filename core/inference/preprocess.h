#pragma once
// The ONE preprocessing shared by inference and training: HU slice -> per channel: window to [0, 1] (linear,
// clamped) -> bilinear resize keeping the aspect ratio -> pad to the model's height x width with air (the windowed
// value of -1000 HU) -> normalise (x - mean) / std. Plain C++, no LibTorch, so any room can use it.
#include <cstdint>
#include <vector>

#include "core/inference/manifest.h"

namespace lunglens::core::inference {

constexpr double kAirHu = -1000.0;

// Linear window to [0, 1]: level - width/2 -> 0, level + width/2 -> 1, clamped outside.
inline float windowToUnit(double hu, const volume::Window& w) {
  const double v = (hu - w.level) / w.width + 0.5;
  return static_cast<float>(v < 0.0 ? 0.0 : (v > 1.0 ? 1.0 : v));
}

// Where a rows x cols slice lands inside the height x width input: scaled by `scale` (same on both axes) to
// resized_rows x resized_cols, centred with the given offsets (the rest is padding).
struct Letterbox {
  double scale = 1.0;
  int resized_rows = 0, resized_cols = 0;
  int offset_y = 0, offset_x = 0;
};
Letterbox letterbox(int rows, int cols, int height, int width);

// Writes channels x height x width floats (channel-major, row-major) into `out`.
// Resizing follows bilinear interpolation with half-pixel centres (as torch's interpolate, align_corners=false).
void preprocessSlice(const std::int16_t* hu, int rows, int cols, const InputSpec& spec, float* out);
std::vector<float> preprocessSlice(const std::int16_t* hu, int rows, int cols, const InputSpec& spec);

}  // namespace lunglens::core::inference
