#include "core/volume/geometry.h"

namespace lunglens::core::volume {

Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

Vec3 Geometry::voxelToPatient(double x, double y, double z) const {
  Vec3 p = origin_mm;
  for (int i = 0; i < 3; ++i) {
    p[i] += x * spacing_mm[0] * row_dir[i] + y * spacing_mm[1] * col_dir[i] + z * spacing_mm[2] * normal[i];
  }
  return p;
}

}  // namespace lunglens::core::volume
