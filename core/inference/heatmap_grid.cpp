#include "core/inference/heatmap_grid.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace lunglens::core::inference {

std::vector<float> upsampleBilinear(const HeatmapGrid& grid, int cols, int rows) {
  if (grid.width <= 0 || grid.height <= 0 ||
      grid.values.size() != static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height)) {
    throw InputError("heatmap", "its size does not match its values");
  }
  std::vector<float> out(static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows));
  const double sx = static_cast<double>(grid.width) / cols, sy = static_cast<double>(grid.height) / rows;
  for (int r = 0; r < rows; ++r) {
    const double fy = std::clamp((r + 0.5) * sy - 0.5, 0.0, grid.height - 1.0);
    const int y0 = static_cast<int>(fy), y1 = std::min(y0 + 1, grid.height - 1);
    const double wy = fy - y0;
    for (int c = 0; c < cols; ++c) {
      const double fx = std::clamp((c + 0.5) * sx - 0.5, 0.0, grid.width - 1.0);
      const int x0 = static_cast<int>(fx), x1 = std::min(x0 + 1, grid.width - 1);
      const double wx = fx - x0;
      auto at = [&](int x, int y) { return static_cast<double>(grid.values[static_cast<std::size_t>(y) * grid.width + x]); };
      const double top = at(x0, y0) * (1 - wx) + at(x1, y0) * wx;
      const double bottom = at(x0, y1) * (1 - wx) + at(x1, y1) * wx;
      out[static_cast<std::size_t>(r) * cols + c] = static_cast<float>(top * (1 - wy) + bottom * wy);
    }
  }
  return out;
}

std::vector<std::uint8_t> outsideBodyAir(const std::int16_t* hu, int cols, int rows, int air_hu) {
  const std::size_t n = static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows);
  std::vector<std::uint8_t> outside(n, 0);
  std::vector<std::size_t> stack;
  auto seed = [&](int c, int r) {
    const std::size_t i = static_cast<std::size_t>(r) * cols + c;
    if (!outside[i] && hu[i] < air_hu) {
      outside[i] = 1;
      stack.push_back(i);
    }
  };
  for (int c = 0; c < cols; ++c) seed(c, 0), seed(c, rows - 1);
  for (int r = 0; r < rows; ++r) seed(0, r), seed(cols - 1, r);
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    const int c = static_cast<int>(i % cols), r = static_cast<int>(i / cols);
    if (c > 0) seed(c - 1, r);
    if (c + 1 < cols) seed(c + 1, r);
    if (r > 0) seed(c, r - 1);
    if (r + 1 < rows) seed(c, r + 1);
  }
  return outside;
}

}  // namespace lunglens::core::inference
