#include "ui/paint/lung_layer.h"

#include <string>

#include "core/common/error.h"

namespace lunglens::ui::paint {

QColor lungContourColour() { return QColor(90, 220, 255); }
QColor groundGlassColour() { return QColor(255, 214, 0, 120); }
QColor consolidationColour() { return QColor(255, 40, 170, 160); }

int opacityClass(std::int16_t hu, const core::lung::HuBands& bands) {
  if (hu >= bands.ggo_min_hu && hu < bands.ggo_max_hu) return 1;
  if (hu >= bands.consolidation_min_hu && hu <= bands.consolidation_max_hu) return 2;
  return 0;
}

QImage lungLayer(const core::lung::LungAnalysis& analysis, int z, const std::int16_t* hu, int cols, int rows,
                 core::dicom::DisplayFlip flip, const LungLayerOptions& options) {
  const auto& g = analysis.mask.geometry;
  if (g.cols != cols || g.rows != rows || z < 0 || z >= g.slices)
    throw core::InputError("lung overlay", "the lung mask is not of this series or slice " + std::to_string(z));
  QImage layer(cols, rows, QImage::Format_ARGB32);
  layer.fill(Qt::transparent);
  if (!analysis.mask.sliceHasLung(z)) return layer;
  const std::uint8_t* m = analysis.mask.slice(z);
  // What the quantification counted (vessels and partial-volume rims excluded) when the analysis kept it; else
  // the bands applied to the slice's HU.
  const bool counted = analysis.mask.opacity.size() == analysis.mask.labels.size();
  const std::uint8_t* op = counted ? analysis.mask.opacitySlice(z) : nullptr;
  const QRgb contour = lungContourColour().rgba(), ggo = groundGlassColour().rgba(),
             consolidation = consolidationColour().rgba();
  for (int r = 0; r < rows; ++r) {
    auto* line = reinterpret_cast<QRgb*>(layer.scanLine(flip.vertical ? rows - 1 - r : r));
    for (int c = 0; c < cols; ++c) {
      const std::size_t i = static_cast<std::size_t>(r) * cols + c;
      if (!m[i]) continue;
      QRgb colour = 0;
      // The contour: a lung voxel with a 4-neighbour outside the lungs, or of the other lung (so where the lungs
      // touch, the line between them shows).
      if (options.contour) {
        const bool right = core::lung::isRight(static_cast<core::lung::Zone>(m[i]));
        auto differs = [&](int cc, int rr) {
          const auto label = static_cast<core::lung::Zone>(m[static_cast<std::size_t>(rr) * cols + cc]);
          return label == core::lung::Zone::None || core::lung::isRight(label) != right;
        };
        const bool edge = c == 0 || r == 0 || c == cols - 1 || r == rows - 1 || differs(c - 1, r) ||
                          differs(c + 1, r) || differs(c, r - 1) || differs(c, r + 1);
        if (edge) colour = contour;
      }
      if (!colour && options.opacities && (op || hu)) {
        const int k = op ? op[i] : opacityClass(hu[i], analysis.bands);
        colour = k == 1 ? ggo : k == 2 ? consolidation : 0;
      }
      if (colour) line[flip.horizontal ? cols - 1 - c : c] = colour;
    }
  }
  return layer;
}

}  // namespace lunglens::ui::paint
