#pragma once
// The AI heatmap as a translucent colour layer: a low-resolution map upsampled bilinearly to the slice, coloured
// with a blue-to-red map whose opacity grows with the value (low values vanish instead of washing the slice grey),
// and kept off the air around the body.
#include <QColor>
#include <QImage>
#include <cstdint>

#include "core/dicom/display_orientation.h"
#include "core/inference/heatmap_grid.h"
#include "core/export/heatmap_clip.h"

namespace lunglens::ui::paint {

// Values at or below this draw nothing: the weakest quarter of a Grad-CAM map is spread thinly over the chest
// wall and mediastinum and only veils the image.
constexpr float kHeatmapFloor = 0.25f;

// Colour maps for the layer. Rainbow (blue -> cyan -> green -> yellow -> red) is the export's; the viewer lets
// the reader pick Hot (dark red -> yellow -> white) or Viridis (perceptually uniform, colour-blind safe).
enum class HeatmapColours { Rainbow, Hot, Viridis };

// The colour of a heatmap value in [0, 1] (clamped), alpha included: transparent at or below kHeatmapFloor,
// rising continuously from there to 80% opacity at 1.
QColor heatmapColour(float value, HeatmapColours colours = HeatmapColours::Rainbow);

// A cols x rows ARGB image of the layer in display orientation (flips applied), ready to draw over the slice with
// the same target rectangle, drawn only where `clip` allows (core/export/heatmap_clip.h: inside the dilated lung
// mask, or off the body's outside air without one).
QImage heatmapLayer(const core::inference::HeatmapGrid& grid, const core::exporting::HeatmapClip& clip, int cols,
                    int rows, core::dicom::DisplayFlip flip, HeatmapColours colours = HeatmapColours::Rainbow);
// Without a lung mask: the fallback clip from `hu` (the slice, row-major; may be null).
QImage heatmapLayer(const core::inference::HeatmapGrid& grid, const std::int16_t* hu, int cols, int rows,
                    core::dicom::DisplayFlip flip, HeatmapColours colours = HeatmapColours::Rainbow);

}  // namespace lunglens::ui::paint
