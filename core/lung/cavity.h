#pragma once
// EXPERIMENTAL, off by default (SegmentationParams::cavity; measurements in docs/LUNG.md, "Accuracy"). Dense disease
// the aerated lung does not outline: a whole consolidated lobe, or a bite the convex hull (costal.h) cannot see. The
// lung fills its hemithorax out to the rib cage and the spine; so, on a slice, what lies on a ray from the lung's
// centre beyond the lung's last voxel and before the ribs or spine is lung. Such a ray never crosses the mid-sagittal
// plane, meets the other lung, runs out of the body or through a layer of fat (mediastinum, chest wall), goes
// forwards and inwards at once (the heart lies there, against the front chest wall), ends at bone near the mid-line
// (the front of the spine, the sternum) or runs longer than max_mm. What the rays add is opened in-plane (a spike of
// a few rays is not a lobe), and kept, slice by slice from the feet up, only where half of a region lies over lung or
// over what was kept below: the top of the liver beyond a basal crescent has the abdomen under it.
// Why it is off: without that last rule it took 120 mL of liver on a real series (A0002); with it, it adds little on
// the phantoms (consolidated bases and lobes rest on the diaphragm, as the liver does) for about 10 % more time.
#include "core/lung/itk_bridge.h"

namespace lunglens::core::lung {

struct CavityParams {
  double air_hu = -400;                      // below this a voxel not in the lungs is gas or an airway, not dense lung
  double bone_hu = 300;                      // ribs, sternum and spine on the working grid
  double fat_lo_hu = -150, fat_hi_hu = -50;  // fat; a ray mostly (fat_share) through it is mediastinum or chest wall
  double fat_share = 0.5;
  double fat_layer_mm = 4;       // ... or through a layer of it this thick
  double stop_mm = 6;            // a ray has reached the rib cage within this of bone (3D: a gap between ribs too)
  double mid_mm = 15;            // ... but not within this of the mid-line (the front of the spine, the sternum)
  double max_mm = 120;           // the longest soft-tissue run taken (a lobe's depth; a liver or a heart is wider)
  double max_medial = 0.7;       // a ray within this cosine of "towards the other lung" is not followed
  double bronchogram_mm = 5;     // air inside the run up to this wide is a bronchogram; wider, an airway
  double max_ratio = 4;          // a slice's rays add at most this many times the lung there ...
  double min_share = 0.05;       // ... and none where the lung is under this share of its widest cross-section
  double open_mm = 3;            // what the rays add is opened in-plane by a square this wide each side
  double anterior[2] = {0, -1};  // the patient's front as a unit direction of the grid's (x, y) (from the geometry)
  bool off_abdomen = true;       // the slice-by-slice rule against the abdomen (false: only for measuring without it)
  int down = -1;                 // the slice index step towards the patient's feet
  int rays = 720;                // per slice and lung
};

// Adds what the rays take to `sides` (working grid, 0 / kSideRight / kSideLeft) in place. Never takes a voxel of
// the other lung, bone, airway / gas (`airway`) or outside air (`outside`); a voxel both sides would take goes to
// neither. Slices without both lungs are left alone (no mid-line or other lung to keep the rays from).
void fillCavity(const HuImage::Pointer& work, const MaskImage::Pointer& airway, const MaskImage::Pointer& outside,
                const MaskImage::Pointer& sides, const CavityParams& params);

}  // namespace lunglens::core::lung
