#pragma once
// Lung segmentation on the working grid: air inside the body, the large lung components (outside air, bowel gas
// and the table excluded), trachea and main bronchi removed, left/right separated (also where they touch), and
// each lung closed and hole-filled so vessels, nodules and dense disease stay inside it.
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/lung/itk_bridge.h"

namespace lunglens::core::lung {

inline constexpr std::uint8_t kSideRight = 1, kSideLeft = 2;  // the patient's

struct Segmentation {
  MaskImage::Pointer sides;            // working grid: 0 outside, kSideRight, kSideLeft
  MaskImage::Pointer airway;           // working grid: trachea and main bronchi found (0/1); may be all 0
  std::vector<std::string> warnings;
};

struct SegmentationParams {
  double air_hu = -400;          // lung/air vs soft tissue (midway between aerated lung and muscle)
  double gas_mean_hu = -975;     // a component this dark on average is gas (bowel, trachea alone), not lung
  double closing_mm = 15;        // fills peripheral dense disease and the hilar notch
  double min_lung_ml = 150;      // less than this in total: no lungs
};

// `geometry` is the full volume's (patient directions); `grid` the shrink factors `work` was made with.
// Throws InputError("no lungs found: ...") when nothing lung-like is there; Cancelled when cancelled.
Segmentation segmentLungs(const HuImage::Pointer& work, const volume::Geometry& geometry, const WorkingGrid& grid,
                          const SegmentationParams& params, const CancelToken& cancel);

// Trachea and main bronchi inside `lungs` (airway.cpp): grown from the darkest central component at the top of the
// lungs, with a leak check. Returns an all-zero mask (and a warning) when none is found.
MaskImage::Pointer findAirway(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                              std::vector<std::string>& warnings);

}  // namespace lunglens::core::lung
