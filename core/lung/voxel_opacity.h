#pragma once
// Opacity per full-resolution voxel on one slice. The working grid (2 mm cells) says where opacity may be; the
// voxels decide whether it is, so the overlay and the percentages follow the HU bands voxel by voxel.
#include <cstdint>

#include "core/lung/lung_analysis.h"

namespace lunglens::core::lung {

// The working grid's opacity classes of the slice's working plane, and how full-resolution voxels map to it.
struct WorkingPlane {
  const std::uint8_t* classes = nullptr;  // kOpacity* per working cell (wx * wy)
  int wx = 0, wy = 0, fxy = 1;
  std::uint8_t at(int x, int y) const {
    const int lx = x / fxy < wx ? x / fxy : wx - 1, ly = y / fxy < wy ? y / fxy : wy - 1;
    return classes[static_cast<std::size_t>(ly) * static_cast<std::size_t>(wx) + static_cast<std::size_t>(lx)];
  }
};

// Judges every lung voxel of a slice (cols x rows, `lung` nonzero = lung) and writes kOpacity* to its place in
// `out`, which comes zero-filled (the mask's opacity plane) and is not touched outside the lungs. Cheap to make; its
// work buffers are per thread and kept between slices (no fresh pages per slice).
class SliceOpacityJudge {
 public:
  SliceOpacityJudge(const volume::Geometry& geometry, const HuBands& bands);
  void judge(const std::int16_t* hu, const std::uint8_t* lung, const WorkingPlane& plane, std::uint8_t* out);

 private:
  int cols_, rows_;
  int ggo_rx_, ggo_ry_;        // half-widths of the square that must be mostly in the band for ground glass
  double opaque_min_;
};

}  // namespace lunglens::core::lung
