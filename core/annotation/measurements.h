#pragma once
// Measurements of annotations on a slice: lengths in mm from the pixel spacing, and HU statistics inside a region.
//
// Pixel-inside rule (documented in docs/EXPORT.md): a voxel belongs to a region when its CENTRE lies inside the
// shape. Voxel (c, r) has its centre at (c, r) in the annotation's voxel coordinates.
//   - ellipse: centre ((x0+x1)/2, (y0+y1)/2), semi-axes |x1-x0|/2 and |y1-y0|/2; inside when
//     ((c-cx)/rx)^2 + ((r-cy)/ry)^2 <= 1 (on the outline counts as inside);
//   - freehand: the closed polygon through the points, even-odd rule (a point on an edge may fall either way).
// The area is the number of voxels inside times the area of one voxel, so it always agrees with the statistics.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/annotation/annotations.h"
#include "core/volume/volume.h"

namespace lunglens::core::annotation {

// Distance in mm between two voxel positions of a slice; column spacing along x, row spacing along y.
double lengthMm(VoxelPoint a, VoxelPoint b, double columnSpacing_mm, double rowSpacing_mm);
// The length of a Length annotation in mm.
double lengthMm(const Annotation& length, const volume::Geometry& geometry);

struct RoiStats {
  std::size_t voxel_count = 0;
  double mean_hu = 0.0;
  double sd_hu = 0.0;  // population standard deviation (divides by N): the spread of the voxels measured
  int min_hu = 0;
  int max_hu = 0;
  double area_mm2 = 0.0;
};

// True when voxel centre (c, r) is inside an Ellipse or Freehand annotation (the rule above).
bool voxelInside(const Annotation& roi, int c, int r);
// The voxels inside, as a cols x rows mask (row-major, 1 = inside).
std::vector<std::uint8_t> roiMask(const Annotation& roi, int cols, int rows);

// Statistics of an Ellipse or Freehand annotation over an HU slice (rows x cols, row-major). Returns nullopt when
// no voxel centre lies inside (a region too small or outside the slice). Throws InputError for other kinds.
std::optional<RoiStats> roiStats(const Annotation& roi, const std::int16_t* hu, int cols, int rows,
                                 double columnSpacing_mm, double rowSpacing_mm);
// Same, on the annotation's slice of a volume. Throws InputError when the slice is out of range or not yet decoded.
std::optional<RoiStats> roiStats(const Annotation& roi, const volume::Volume& volume);

// The text shown beside a measured annotation: "42.3 mm" for a length, "mean -812 HU, SD 35, min .. max, 123.4 mm²"
// for a region; empty for arrows and labels.
std::string measurementText(const Annotation& annotation, const volume::Volume* volume);

}  // namespace lunglens::core::annotation
