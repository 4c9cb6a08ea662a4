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
  double gas_pocket_hu = -960;   // confluent voxels this dark joined to a lung are gas, not parenchyma
  double gas_pocket_depth_mm = 2; // ... at least this far inside their edge in-plane (bronchi are thinner)
  double gas_pocket_ml = 15;      // ... and at least this big (a bronchial tree's dark lumen is a few mL)
  double gas_pocket_core = 0.35;   // ... over this fraction of it (a sharp kernel's dark undershoot along the pleura
                                  // joins up into a thin shell with a few deep spots)
  double gas_pocket_rim_mm = 3;   // its partial-volume rim goes with it
  double gas_pocket_core_ml = 5;  // the thick part of a pocket joined to a thin shell: judged alone from this size
  double closing_mm = 8;         // fills dense disease at the pleura (a notch in the aerated lung)
  double bone_hu = 300;          // ribs and spine
  // > 0: the closing adds only voxels this close to bone (ribs, spine), not mediastinal notches. Off by default:
  // on the phantoms it cost more dense disease at the pleura than it saved at the mediastinum (8 mm closing).
  double costal_mm = 0;
  double min_lung_ml = 150;      // less than this in total: no lungs
  // The rib-cage ray step (cavity.h) after the costal bites. Off: see cavity.h and docs/LUNG.md.
  bool cavity = false;
};

// `geometry` is the full volume's (patient directions); `grid` the shrink factors `work` was made with.
// Throws InputError("no lungs found: ...") when nothing lung-like is there; Cancelled when cancelled.
Segmentation segmentLungs(const HuImage::Pointer& work, const volume::Geometry& geometry, const WorkingGrid& grid,
                          const SegmentationParams& params, const CancelToken& cancel);

// Trachea and main bronchi inside `lungs` (airway.cpp): grown from the darkest central component at the top of the
// lungs, on to brighter thresholds with a leak check, with the partial-volume ring of the part outside the lung.
// Returns an all-zero mask (and a warning) when none is found.
MaskImage::Pointer findAirway(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                              std::vector<std::string>& warnings);

}  // namespace lunglens::core::lung
