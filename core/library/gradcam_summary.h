#pragma once
// Summarising a Grad-CAM heatmap for the library: the peak (slice pixel and patient position), the area where the
// normalised map is at least `threshold`, and the map resampled to a small grid over the whole slice (the
// core::inference::HeatmapGrid convention, so exports and the gallery draw it directly). With a lung clip the map
// is first kept inside the lungs, and the clip is stored beside it so every later drawing (gallery, presentation,
// teaching-set export) keeps the heat where the viewer kept it.
#include <optional>

#include "core/export/heatmap_clip.h"
#include "core/inference/heatmap.h"
#include "core/library/records.h"
#include "core/volume/geometry.h"

namespace lunglens::core::library {

inline constexpr int kStoredGridSize = 32;
// The stored clip's cells per side (at most the slice's own size): about 3 mm on a 512² chest slice. A cell may
// draw only if all of its pixels may, so the stored clip lies inside the viewer's and keeps most of its 5 mm margin.
inline constexpr int kStoredClipSize = 128;

// `geometry`: the series' volume geometry; `slice`: the slice index the map explains. Throws InputError for an
// empty map.
GradcamSummary summariseGradcam(const inference::Heatmap& map, const inference::InputSpec& input,
                                const volume::Geometry& geometry, int slice, double threshold = 0.5);

// The same with the map first clipped by `clip` (cols x rows of the slice; null = no clip). A lung clip is stored
// in the summary. Nothing (nullopt) when no heat is left inside the clip: there is nothing to explain there.
std::optional<GradcamSummary> summariseGradcamWithin(const inference::Heatmap& map, const inference::InputSpec& input,
                                                     const volume::Geometry& geometry, int slice,
                                                     const exporting::HeatmapClip* clip, double threshold = 0.5);

// The stored clip expanded to the slice (cols x rows), or nullopt when the summary has none (draw with the
// body-air fallback then).
std::optional<exporting::HeatmapClip> storedHeatmapClip(const GradcamSummary& summary, int cols, int rows);

}  // namespace lunglens::core::library
