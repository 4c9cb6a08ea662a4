#include "core/library/gradcam_summary.h"

#include <algorithm>

#include "core/common/error.h"

namespace lunglens::core::library {

GradcamSummary summariseGradcam(const inference::Heatmap& map, const inference::InputSpec& input,
                                const volume::Geometry& geometry, int slice, double threshold) {
  if (map.empty()) throw InputError("Grad-CAM", "empty heatmap for slice " + std::to_string(slice));
  const int rows = geometry.rows, cols = geometry.cols;
  const std::vector<float> native = inference::heatmapOnSlice(map, rows, cols, input);
  GradcamSummary s;
  s.class_name = map.class_name;
  s.threshold = threshold;
  const auto peak = std::max_element(native.begin(), native.end());
  const auto at = static_cast<int>(peak - native.begin());
  s.peak_row = at / cols;
  s.peak_col = at % cols;
  const volume::Vec3 p = geometry.voxelToPatient(s.peak_col, s.peak_row, slice);
  s.peak_x_mm = p[0];
  s.peak_y_mm = p[1];
  s.peak_z_mm = p[2];
  const auto over = std::count_if(native.begin(), native.end(), [&](float x) { return x >= threshold; });
  s.area_over_threshold_mm2 = static_cast<double>(over) * geometry.spacing_mm[0] * geometry.spacing_mm[1];
  // Box-average the native map onto the stored grid: cell (i, j) covers the slice evenly.
  const int n = kStoredGridSize;
  s.grid_height = s.grid_width = n;
  s.grid.assign(static_cast<std::size_t>(n) * n, 0.0f);
  std::vector<int> counts(s.grid.size(), 0);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      const std::size_t cell = static_cast<std::size_t>(y * n / rows) * n + static_cast<std::size_t>(x * n / cols);
      s.grid[cell] += native[static_cast<std::size_t>(y) * cols + x];
      ++counts[cell];
    }
  for (std::size_t i = 0; i < s.grid.size(); ++i) s.grid[i] = counts[i] ? s.grid[i] / counts[i] : 0.0f;
  return s;
}

}  // namespace lunglens::core::library
