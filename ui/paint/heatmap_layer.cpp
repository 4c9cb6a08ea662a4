#include "ui/paint/heatmap_layer.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace lunglens::ui::paint {

QColor heatmapColour(float value, HeatmapColours colours) {
  const float v = std::clamp(value, 0.0f, 1.0f);
  if (v <= kHeatmapFloor) return QColor(0, 0, 0, 0);
  // Five stops per map, interpolated linearly.
  using Stops = std::array<std::array<int, 3>, 5>;
  static const Stops rainbow = {{{{40, 70, 255}}, {{0, 210, 255}}, {{40, 230, 60}}, {{255, 230, 0}}, {{255, 30, 0}}}};
  static const Stops hot = {{{{120, 0, 0}}, {{220, 30, 0}}, {{255, 120, 0}}, {{255, 210, 40}}, {{255, 255, 220}}}};
  static const Stops viridis = {{{{68, 1, 84}}, {{59, 82, 139}}, {{33, 145, 140}}, {{94, 201, 98}}, {{253, 231, 37}}}};
  const Stops& stops = colours == HeatmapColours::Hot ? hot : colours == HeatmapColours::Viridis ? viridis : rainbow;
  const float t = (v - kHeatmapFloor) / (1.0f - kHeatmapFloor);
  const float pos = t * (stops.size() - 1);
  const int i = std::min(static_cast<int>(pos), static_cast<int>(stops.size()) - 2);
  const float f = pos - i;
  auto mix = [&](int k) { return static_cast<int>(std::lround(stops[i][k] * (1 - f) + stops[i + 1][k] * f)); };
  // Opacity rises from nothing at the floor, so the map fades in where the evidence starts instead of ending in a
  // visible edge (a hard edge reads as a finding's border); the weak end stays faint, the strong end ~80% opaque.
  const int alpha = static_cast<int>(std::lround(255.0f * 0.8f * std::pow(t, 0.7f)));
  return QColor(mix(0), mix(1), mix(2), alpha);
}

QImage heatmapLayer(const core::inference::HeatmapGrid& grid, const std::int16_t* hu, int cols, int rows,
                    core::dicom::DisplayFlip flip, HeatmapColours colours) {
  return heatmapLayer(grid, core::exporting::heatmapClip(nullptr, 0, hu, cols, rows), cols, rows, flip, colours);
}

QImage heatmapLayer(const core::inference::HeatmapGrid& grid, const core::exporting::HeatmapClip& clip, int cols,
                    int rows, core::dicom::DisplayFlip flip, HeatmapColours colours) {
  std::vector<float> values = core::inference::upsampleBilinear(grid, cols, rows);
  core::exporting::applyHeatmapClip(values, clip);
  QImage layer(cols, rows, QImage::Format_ARGB32);
  layer.fill(Qt::transparent);
  for (int r = 0; r < rows; ++r) {
    const int dr = flip.vertical ? rows - 1 - r : r;
    auto* line = reinterpret_cast<QRgb*>(layer.scanLine(dr));
    for (int c = 0; c < cols; ++c) {
      const std::size_t i = static_cast<std::size_t>(r) * cols + c;
      const QColor colour = heatmapColour(values[i], colours);
      if (colour.alpha() == 0) continue;
      line[flip.horizontal ? cols - 1 - c : c] = colour.rgba();
    }
  }
  return layer;
}

}  // namespace lunglens::ui::paint
