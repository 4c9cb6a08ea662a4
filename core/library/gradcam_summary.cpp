#include "core/library/gradcam_summary.h"

#include <algorithm>

#include "core/common/error.h"

namespace lunglens::core::library {

std::optional<GradcamSummary> summariseGradcamWithin(const inference::Heatmap& map, const inference::InputSpec& input,
                                                     const volume::Geometry& geometry, int slice,
                                                     const exporting::HeatmapClip* clip, double threshold) {
  if (map.empty()) throw InputError("Grad-CAM", "empty heatmap for slice " + std::to_string(slice));
  const int rows = geometry.rows, cols = geometry.cols;
  std::vector<float> native = inference::heatmapOnSlice(map, rows, cols, input);
  if (clip) exporting::applyHeatmapClip(native, *clip);
  const auto peak = std::max_element(native.begin(), native.end());
  if (clip && *peak <= 0.0f) return std::nullopt;
  GradcamSummary s;
  s.class_name = map.class_name;
  s.threshold = threshold;
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
  if (clip && clip->lung) {
    s.clip_height = std::min(kStoredClipSize, rows);
    s.clip_width = std::min(kStoredClipSize, cols);
    // A cell may draw only where every pixel it covers may (the same pixel -> cell mapping as
    // storedHeatmapClip), so the stored clip never reaches past the viewer's: it gives up at most a cell of margin.
    s.clip.assign(static_cast<std::size_t>(s.clip_height) * s.clip_width, 1);
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < cols; ++x)
        if (!clip->allowed[static_cast<std::size_t>(y) * cols + x])
          s.clip[static_cast<std::size_t>(y * s.clip_height / rows) * s.clip_width + x * s.clip_width / cols] = 0;
  }
  return s;
}

GradcamSummary summariseGradcam(const inference::Heatmap& map, const inference::InputSpec& input,
                                const volume::Geometry& geometry, int slice, double threshold) {
  return *summariseGradcamWithin(map, input, geometry, slice, nullptr, threshold);
}

std::optional<exporting::HeatmapClip> storedHeatmapClip(const GradcamSummary& summary, int cols, int rows) {
  const int h = summary.clip_height, w = summary.clip_width;
  if (h <= 0 || w <= 0 || summary.clip.size() != static_cast<std::size_t>(h) * w || cols <= 0 || rows <= 0)
    return std::nullopt;
  exporting::HeatmapClip clip;
  clip.lung = true;
  clip.allowed.resize(static_cast<std::size_t>(cols) * rows);
  for (int y = 0; y < rows; ++y) {
    const std::size_t cy = static_cast<std::size_t>(y * h / rows);
    for (int x = 0; x < cols; ++x)
      clip.allowed[static_cast<std::size_t>(y) * cols + x] = summary.clip[cy * w + static_cast<std::size_t>(x * w / cols)];
  }
  return clip;
}

}  // namespace lunglens::core::library
