#pragma once
// Lung analysis of a chest CT volume: a 3D lung mask (left/right, six zones), opacity quantification in HU bands
// and the 6-zone CT severity score. Plain C++ over ITK's filters; no trained model involved, so it works on any
// real scan. The mask is also what keeps every AI overlay inside the lungs.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/volume/volume.h"

namespace lunglens::core::lung {

// Voxel labels of the lung mask. 0 = outside the lungs. Right/left are the patient's.
enum class Zone : std::uint8_t {
  None = 0,
  RightUpper = 1,
  RightMiddle = 2,
  RightLower = 3,
  LeftUpper = 4,
  LeftMiddle = 5,
  LeftLower = 6,
};
constexpr int kZoneCount = 6;
const char* zoneName(Zone zone);  // "right_upper", ...
inline bool isRight(Zone z) { return z >= Zone::RightUpper && z <= Zone::RightLower; }
inline bool isLeft(Zone z) { return z >= Zone::LeftUpper && z <= Zone::LeftLower; }

// HU bands for opacity (defaults and their sources in docs/LUNG.md).
struct HuBands {
  double ggo_min_hu = -700, ggo_max_hu = -250;            // ground glass: [min, max)
  double consolidation_min_hu = -250, consolidation_max_hu = 100;  // consolidation: [min, max]
};

struct AnalysisOptions {
  HuBands bands;
  int threads = 0;  // 0 = defaultThreadCount()
  // Experimental rib-cage step for dense disease the aerated lung does not outline (core/lung/cavity.h); off: it
  // adds little for its time (docs/LUNG.md, "Accuracy").
  bool cavity = false;
};

// Measurements of one region (a lung, a zone, both lungs, or the lung on one slice).
struct RegionStats {
  std::int64_t voxels = 0;
  double volume_ml = 0;
  double mean_hu = 0;
  double ggo_percent = 0;            // % of the region's volume in the ground-glass band
  double consolidation_percent = 0;  // % in the consolidation band
  double involved_percent() const { return ggo_percent + consolidation_percent; }
};

// The 0..4 score of one zone from its % involvement in whole percent: 0 %, 1-25, 26-50, 51-75, 76-100 (under
// 0.5 % is 0 %).
int zoneScore(double involved_percent);

// What the quantification counted a lung voxel as (vessels, fissures and partial-volume rims are not opacity).
enum class Opacity : std::uint8_t { None = 0, GroundGlass = 1, Consolidation = 2 };

struct LungMask {
  volume::Geometry geometry;          // the analysed volume's
  std::vector<std::uint8_t> labels;   // Zone per voxel, same layout as the volume (x fastest, then y, then slice)
  std::vector<std::uint8_t> opacity;  // Opacity per voxel (None outside the lungs), same layout as labels
  std::vector<std::int64_t> lung_voxels_per_slice;
  bool sliceHasLung(int z) const { return lung_voxels_per_slice[static_cast<std::size_t>(z)] > 0; }
  const std::uint8_t* slice(int z) const {
    return labels.data() + static_cast<std::size_t>(z) * geometry.voxelsPerSlice();
  }
  const std::uint8_t* opacitySlice(int z) const {
    return opacity.data() + static_cast<std::size_t>(z) * geometry.voxelsPerSlice();
  }
};

// The slice's lung mask (any zone = 1) grown by `dilation_mm` in-plane (a disc in mm, from the pixel spacing):
// what AI overlays are clipped to. Row-major cols x rows.
std::vector<std::uint8_t> dilatedSliceMask(const LungMask& mask, int z, double dilation_mm = 5.0);

struct LungAnalysis {
  LungMask mask;
  RegionStats both, right, left;
  std::array<RegionStats, kZoneCount> zones;   // index = Zone - 1
  std::array<int, kZoneCount> zone_scores{};   // 0..4 each
  int severity_score = 0;                      // 0..24
  std::vector<RegionStats> slices;             // per slice (voxels = 0 where the slice has no lung)
  std::vector<std::string> warnings;           // e.g. "partial chest coverage: lung apices not in the series"
  HuBands bands;
};

// Segments and quantifies. Throws InputError("no lungs found: ...") for a series that is not a chest CT (head,
// abdomen only, a scout, a single slice), InputError for a volume that is not completely loaded, Cancelled when
// cancelled. Never returns an empty mask.
LungAnalysis analyzeLungs(const volume::Volume& volume, const AnalysisOptions& options = {},
                          const CancelToken& cancel = CancelToken());

}  // namespace lunglens::core::lung
