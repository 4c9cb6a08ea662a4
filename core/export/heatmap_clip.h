#pragma once
// Where an AI heatmap may be drawn on a slice: the ONE rule every Grad-CAM overlay follows (the viewer, exports,
// the CLI's `export` and `classify --heatmaps`). With a lung analysis, the slice's lung mask grown by a small
// margin (core::lung::dilatedSliceMask), so no heat lands on the chest wall, the heart, the axilla or a slice of
// neck or abdomen; without one (the analysis failed or has not finished), the older rule: everywhere but the air
// outside the body.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/lung/lung_analysis.h"

namespace lunglens::core::exporting {

// The margin around the lungs a heatmap keeps: Grad-CAM cells are coarse, and disease at the pleura should keep
// the heat that touches it.
constexpr double kHeatmapLungMargin_mm = 5.0;

struct HeatmapClip {
  std::vector<std::uint8_t> allowed;  // cols x rows, row-major, volume order (before display flips); 1 = may draw
  bool lung = false;                  // true: the dilated lung mask; false: the body-air fallback
};

// `mask` (may be null) must be of the slice's volume: its geometry's cols x rows must match (else InputError).
// `hu` (the slice, may be null) is only used by the fallback; without it the fallback allows everything.
HeatmapClip heatmapClip(const lung::LungMask* mask, int slice, const std::int16_t* hu, int cols, int rows);

// Zeroes `values` (cols x rows) where the clip does not allow drawing.
void applyHeatmapClip(std::vector<float>& values, const HeatmapClip& clip);
void applyHeatmapClip(std::vector<std::uint8_t>& values, const HeatmapClip& clip);

// The lung analysis of a loaded volume for the headless paths (CLI, library), or null with `why` set when there
// is none: no lungs found, one slice, not completely loaded (core::InputError from analyzeLungs). Cancelled and
// internal errors pass through.
std::shared_ptr<const lung::LungAnalysis> lungAnalysisOrWhyNot(const volume::Volume& volume, std::string& why,
                                                                const CancelToken& cancel = CancelToken());

// Per slice 1 where the analysis found lung (the verdict's eligibility: core/inference/verdict.h); empty without
// an analysis, so every slice counts.
std::vector<std::uint8_t> lungSliceEligibility(const lung::LungAnalysis* analysis);

// One line saying which rule clipped the heatmaps, for the panel, the CLI's stderr and the export label.
std::string heatmapClipNote(bool lung, const std::string& why_not = {});

}  // namespace lunglens::core::exporting
