#pragma once
// Summarising a Grad-CAM heatmap for the library: the peak (slice pixel and patient position), the area where the
// normalised map is at least `threshold`, and the map resampled to a small grid over the whole slice (the
// core::inference::HeatmapGrid convention, so exports and the gallery draw it directly).
#include "core/inference/heatmap.h"
#include "core/library/records.h"
#include "core/volume/geometry.h"

namespace lunglens::core::library {

inline constexpr int kStoredGridSize = 32;

// `geometry`: the series' volume geometry; `slice`: the slice index the map explains. Throws InputError for an
// empty map.
GradcamSummary summariseGradcam(const inference::Heatmap& map, const inference::InputSpec& input,
                                const volume::Geometry& geometry, int slice, double threshold = 0.5);

}  // namespace lunglens::core::library
