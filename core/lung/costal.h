#pragma once
// Dense disease against the chest wall. Subpleural consolidation or ground glass wider than the closing ball is a
// bite out of the aerated lung whose open side faces the ribs; the lung's costal surface follows the rib cage and
// is convex on an axial slice. So, per slice and per lung, what the lung's convex hull adds is lung where the hull's
// edge runs along the ribs (the bite's open side lies against the chest wall), and not where it runs through the
// mediastinum (the heart in the left lung's concavity, the hilum) or the abdomen (a liver dome in the basal crescent).
#include "core/lung/itk_bridge.h"

namespace lunglens::core::lung {

struct CostalParams {
  double bone_hu = 300;    // ribs, sternum and spine on the working grid
  double wall_mm = 15;     // the hull's edge counts as along the chest wall within this distance of bone
  double skin_mm = 45;     // ... or this deep under the skin (the front, over the costal cartilages, has no bone)
  double along = 0.6;      // ... over at least this fraction of its length across the bite
  int split_px = 2;        // regions joined by a neck this thin (pixels, each side) are judged apart
  double max_medial = 0.7; // cosine of the angle between "lung centre -> bite" and "lung -> other lung" at most this
};

// Adds the costal bites to `sides` (working grid, 0 / kSideRight / kSideLeft) in place. Never takes a voxel of the
// other lung, bone, or airway / gas (`airway`).
// `outside`: the air around the body (1), from which the depth under the skin is measured.
void fillCostalBites(const HuImage::Pointer& work, const MaskImage::Pointer& airway, const MaskImage::Pointer& outside,
                     const MaskImage::Pointer& sides, const CostalParams& params);

}  // namespace lunglens::core::lung
