#include "ui/mpr/comparison_sync.h"

#include <algorithm>
#include <cmath>

namespace lunglens::ui::mpr {

namespace cv = core::volume;

namespace {

// Patient position of slice z's centre plane, projected on `normal`.
double positionAlong(const cv::Volume& v, int z, const cv::Vec3& normal) {
  const cv::Geometry& g = v.geometry();
  // A point on slice z: the origin moved along the volume's normal to the slice's recorded position.
  const double along = v.slicePosition_mm(z) - cv::dot(g.origin_mm, g.normal);
  cv::Vec3 p = g.origin_mm;
  for (int i = 0; i < 3; ++i) p[i] += along * g.normal[i];
  return cv::dot(p, normal);
}

}  // namespace

bool registeredByFrame(const std::string& a, const std::string& b) { return !a.empty() && a == b; }

SliceMatch matchSlice(const cv::Volume& leader, int z, const cv::Volume& partner, double offset_mm) {
  SliceMatch m;
  const int n = partner.slices();
  if (n <= 0 || leader.slices() <= 0) return m;
  z = std::clamp(z, 0, leader.slices() - 1);
  const cv::Vec3& normal = partner.geometry().normal;
  const double want = positionAlong(leader, z, normal) + offset_mm;
  double best = 1e300;
  for (int k = 0; k < n; ++k) {
    const double d = std::abs(positionAlong(partner, k, normal) - want);
    if (d < best) {
      best = d;
      m.slice = k;
    }
  }
  m.distance_mm = best;
  const double lo = positionAlong(partner, 0, normal), hi = positionAlong(partner, n - 1, normal);
  const double slack = partner.geometry().spacing_mm[2] / 2.0;
  m.inside = want >= std::min(lo, hi) - slack && want <= std::max(lo, hi) + slack;
  return m;
}

double centreOffset_mm(const cv::Volume& leader, const cv::Volume& partner) {
  if (leader.slices() <= 0 || partner.slices() <= 0) return 0.0;
  const cv::Vec3& normal = partner.geometry().normal;
  const double a = (positionAlong(leader, 0, normal) + positionAlong(leader, leader.slices() - 1, normal)) / 2.0;
  const double b = (positionAlong(partner, 0, normal) + positionAlong(partner, partner.slices() - 1, normal)) / 2.0;
  return b - a;
}

}  // namespace lunglens::ui::mpr
