#pragma once
// The lung analysis drawn over a slice: the lungs' contour, and the opacities inside them coloured by HU band
// (ground glass and consolidation, the analysis' own bands, so the picture shows exactly what was measured).
// Plain QImage work like heatmap_layer.h: the viewer uploads it, tests read its pixels without a display.
#include <QColor>
#include <QImage>
#include <cstdint>

#include "core/dicom/display_orientation.h"
#include "core/lung/lung_analysis.h"

namespace lunglens::ui::paint {

// The colours, shared with the legends (viewer, dock). Ground glass yellow, consolidation magenta: apart from
// each other, from the grey scale and from the heatmap's rainbow ends; the contour a light cyan.
QColor lungContourColour();
QColor groundGlassColour();     // alpha included (translucent: the density under it stays readable)
QColor consolidationColour();   // alpha included

struct LungLayerOptions {
  bool contour = true;
  bool opacities = true;
};

// Opacity class of one voxel inside the lungs under the analysis' bands: 0 none, 1 ground glass, 2 consolidation.
int opacityClass(std::int16_t hu, const core::lung::HuBands& bands);

// A cols x rows ARGB image in display orientation (flips applied), transparent where nothing is drawn. The
// opacities are the voxels the quantification counted (LungMask::opacity); an analysis without them falls back to
// the bands over `hu`, slice `z` of the analysed volume (may be null: contour only). Throws InputError when
// the analysis' grid is not cols x rows or z is out of range.
QImage lungLayer(const core::lung::LungAnalysis& analysis, int z, const std::int16_t* hu, int cols, int rows,
                 core::dicom::DisplayFlip flip, const LungLayerOptions& options = {});

}  // namespace lunglens::ui::paint
