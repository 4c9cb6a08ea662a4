#pragma once
// Where the voxels of a volume sit in the patient (LPS coordinates, millimetres, as in DICOM).
#include <array>
#include <cstddef>

namespace lunglens::core::volume {

using Vec3 = std::array<double, 3>;

struct Geometry {
  int cols = 0;    // x: voxels along a row
  int rows = 0;    // y: rows in a slice
  int slices = 0;  // z: slices, index 0 = lowest position along `normal`
  Vec3 spacing_mm{1.0, 1.0, 1.0};  // column spacing, row spacing, nominal distance between slice centres
  Vec3 origin_mm{0.0, 0.0, 0.0};   // centre of voxel (0, 0, 0) = ImagePositionPatient of slice 0
  Vec3 row_dir{1.0, 0.0, 0.0};     // direction of increasing column index (first triple of ImageOrientationPatient)
  Vec3 col_dir{0.0, 1.0, 0.0};     // direction of increasing row index (second triple)
  Vec3 normal{0.0, 0.0, 1.0};      // row_dir x col_dir: direction of increasing slice index

  std::size_t voxelsPerSlice() const { return static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows); }
  std::size_t voxelCount() const { return voxelsPerSlice() * static_cast<std::size_t>(slices); }

  // Patient position (mm) of the centre of voxel (x, y, z), using the nominal slice spacing.
  Vec3 voxelToPatient(double x, double y, double z) const;
};

Vec3 cross(const Vec3& a, const Vec3& b);
double dot(const Vec3& a, const Vec3& b);

}  // namespace lunglens::core::volume
