#pragma once
// A phantom whose truth places one finding at a known patient position: 64 x 48 x 40 voxels of 0.8 x 0.7 x 2.5 mm,
// -800 HU lung with a +60 HU sphere of radius 4 mm centred at kFinding (LPS mm). Shared by the reformat tests in
// core (tests/volume) and the MPR presenter tests (tests/ui).
#include <cmath>
#include <memory>
#include <vector>

#include "core/volume/volume.h"

namespace lunglens::test {

using core::volume::Geometry;
using core::volume::Vec3;
using core::volume::Volume;
using core::volume::cross;
using core::volume::dot;

inline constexpr double kFindingRadius_mm = 4.0;
inline const Vec3 kFinding{5.0, -3.2, -60.0};  // the truth: finding centre, patient LPS mm

// 64 x 48 x 40, 0.8 x 0.7 mm pixels, 2.5 mm slices; -800 HU lung with a +60 HU sphere at kFinding.
inline std::shared_ptr<Volume> findingPhantom(Vec3 row_dir, Vec3 col_dir, Vec3 origin) {
  Geometry g;
  g.cols = 64;
  g.rows = 48;
  g.slices = 40;
  g.spacing_mm = {0.8, 0.7, 2.5};
  g.origin_mm = origin;
  g.row_dir = row_dir;
  g.col_dir = col_dir;
  g.normal = cross(row_dir, col_dir);
  std::vector<double> positions;
  for (int z = 0; z < g.slices; ++z) positions.push_back(dot(origin, g.normal) + z * g.spacing_mm[2]);
  auto v = std::make_shared<Volume>(g, positions);
  for (int z = 0; z < g.slices; ++z) {
    std::int16_t* s = v->mutableSlice(z);
    for (int y = 0; y < g.rows; ++y) {
      for (int x = 0; x < g.cols; ++x) {
        const Vec3 p = g.voxelToPatient(x, y, z);
        const double d = std::hypot(p[0] - kFinding[0], p[1] - kFinding[1], p[2] - kFinding[2]);
        s[y * g.cols + x] = static_cast<std::int16_t>(d <= kFindingRadius_mm ? 60 : -800);
      }
    }
  }
  v->markAllReady();
  return v;
}


}  // namespace lunglens::test
