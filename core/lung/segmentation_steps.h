#pragma once
// The steps of segmentLungs (segmentation.cpp), one file each, and what they share. Internal to core/lung.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/lung/segmentation.h"

namespace lunglens::core::lung {

// Grid sizes of a working-grid image.
struct Dims {
  int nx, ny, nz;
  explicit Dims(const itk::ImageBase<3>* image) {
    const auto s = image->GetLargestPossibleRegion().GetSize();
    nx = static_cast<int>(s[0]);
    ny = static_cast<int>(s[1]);
    nz = static_cast<int>(s[2]);
  }
  std::size_t slice() const { return static_cast<std::size_t>(nx) * ny; }
  std::size_t count() const { return slice() * nz; }
  // Calls go_on(j) for each face neighbour j of voxel i inside the grid (6-connectivity) until it returns false;
  // false when it stopped.
  template <typename F>
  bool forEachFaceNeighbour(std::size_t i, F&& go_on) const {
    const int c[3] = {static_cast<int>(i % nx), static_cast<int>((i / nx) % ny), static_cast<int>(i / slice())};
    const int n[3] = {nx, ny, nz};
    const std::size_t step[3] = {1, static_cast<std::size_t>(nx), slice()};
    for (int axis = 0; axis < 3; ++axis) {
      if (c[axis] > 0 && !go_on(i - step[axis])) return false;
      if (c[axis] + 1 < n[axis] && !go_on(i + step[axis])) return false;
    }
    return true;
  }
};

// Volume of one voxel in mL.
double voxelMl(const itk::ImageBase<3>* image);

struct ComponentStats {
  std::int64_t n = 0;
  double sx = 0, sy = 0, sz = 0, shu = 0;
  int x0 = 1 << 30, x1 = -1, y0 = 1 << 30, y1 = -1, z0 = 1 << 30, z1 = -1;
  bool border = false;  // touches the in-plane edge of the image: outside air
  double cx() const { return sx / static_cast<double>(n); }
  double meanHu() const { return shu / static_cast<double>(n); }
};

// One pass over the labels: size, centroid, bounding box, mean HU and edge contact of labels 1..k.
std::vector<ComponentStats> componentStats(const LabelImage::Pointer& labels, const HuImage::Pointer& hu,
                                           std::size_t k);

// 1. The lungs' air (lung_air.cpp): the large air components inside the body, and the air around the body.
struct LungAir {
  MaskImage::Pointer lungs;    // 0/1
  MaskImage::Pointer outside;  // 0/1: air that reaches the image's in-plane edge
};
// Throws InputError("no lungs found: ...") when there is none.
LungAir findLungAir(const HuImage::Pointer& work, const SegmentationParams& params, const CancelToken& cancel);

// 2. Gas pockets joined to a lung (gas_pockets.cpp): taken out of `lungs` and added to `airway`.
void excludeGasPockets(const HuImage::Pointer& work, const SegmentationParams& params, const MaskImage::Pointer& lungs,
                       const MaskImage::Pointer& airway);

// 3. Left and right (lung_sides.cpp): 0 / kSideRight / kSideLeft from the geometry; a warning when one lung only.
// Small pieces that touch the airway or a gas pocket (what is left of their partial-volume rims) go to neither.
MaskImage::Pointer splitSides(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                              const MaskImage::Pointer& airway, const volume::Geometry& geometry,
                              const WorkingGrid& grid, std::vector<std::string>& warnings, const CancelToken& cancel);

// 4. Dense disease, vessels and nodules back in (lung_closing.cpp): each lung closed and hole-filled, then the
// costal bites (costal.h) and, when asked, the rib-cage step (cavity.h); nothing that rests on the abdomen.
MaskImage::Pointer closeLungs(const HuImage::Pointer& work, const MaskImage::Pointer& raw,
                              const MaskImage::Pointer& airway, const MaskImage::Pointer& outside,
                              const volume::Geometry& geometry, const SegmentationParams& params,
                              const CancelToken& cancel);

}  // namespace lunglens::core::lung
