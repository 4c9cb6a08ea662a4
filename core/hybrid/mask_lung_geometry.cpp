#include "core/hybrid/mask_lung_geometry.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/lung/morphology.h"
#include "core/phantom/random.h"

namespace lunglens::core::hybrid {

namespace ph = phantom;

namespace {

bool near(const volume::Vec3& a, double x, double y, double z) {
  return std::abs(a[0] - x) < 1e-3 && std::abs(a[1] - y) < 1e-3 && std::abs(a[2] - z) < 1e-3;
}

// Signed distance of the lungs (positive inside, mm) on the full grid. `slice_spacing` replaces the z spacing:
// a huge one makes the distance in-plane only.
std::vector<float> depthMap(const lung::LungMask& m, double slice_spacing) {
  const auto& g = m.geometry;
  auto mask = lung::MaskImage::New();
  lung::MaskImage::RegionType region;
  region.SetSize({static_cast<itk::SizeValueType>(g.cols), static_cast<itk::SizeValueType>(g.rows),
                  static_cast<itk::SizeValueType>(g.slices)});
  mask->SetRegions(region);
  const double spacing[3] = {g.spacing_mm[0], g.spacing_mm[1], slice_spacing};
  mask->SetSpacing(spacing);
  mask->Allocate();
  std::uint8_t* p = mask->GetBufferPointer();
  for (std::size_t i = 0; i < m.labels.size(); ++i) p[i] = m.labels[i] != 0 ? 1 : 0;
  const auto d = lung::signedDistance(mask);  // negative inside
  const float* s = d->GetBufferPointer();
  std::vector<float> out(m.labels.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = -s[i];
  return out;
}

}  // namespace

MaskLungGeometry::MaskLungGeometry(const lung::LungMask& mask, const std::vector<double>& slice_z_mm, std::uint64_t seed)
    : mask_(mask), z_(slice_z_mm), texture_seed_(static_cast<std::uint32_t>(ph::mix64(seed ^ 0x4a7b1dull))) {
  const auto& g = mask.geometry;
  if (!near(g.row_dir, 1, 0, 0) || !near(g.col_dir, 0, 1, 0) || !near(g.normal, 0, 0, 1))
    throw InputError("background series",
                     "hybrid phantoms need an axial series in the standard orientation (rows to the patient's left, "
                     "columns posterior, slices ascending)");
  if (static_cast<int>(z_.size()) != g.slices) throw InternalError("MaskLungGeometry: one z per slice expected");
  // Centroids: of both lungs (the frame's origin in the plane) and of each side per slice.
  const std::size_t n = g.voxelsPerSlice();
  double sx = 0, sy = 0;
  std::int64_t count = 0;
  std::array<std::int64_t, 2> side_count{};
  centre_.assign(static_cast<std::size_t>(g.slices), {});
  std::vector<std::array<double, 4>> sums(static_cast<std::size_t>(g.slices), {0, 0, 0, 0});
  std::vector<std::array<std::int64_t, 2>> counts(static_cast<std::size_t>(g.slices), {0, 0});
  for (int k = 0; k < g.slices; ++k) {
    const std::uint8_t* l = mask.labels.data() + static_cast<std::size_t>(k) * n;
    for (int j = 0; j < g.rows; ++j)
      for (int i = 0; i < g.cols; ++i) {
        const auto z = static_cast<lung::Zone>(l[static_cast<std::size_t>(j) * g.cols + i]);
        if (z == lung::Zone::None) continue;
        const int side = lung::isRight(z) ? 0 : 1;
        const double x = g.origin_mm[0] + i * g.spacing_mm[0], y = g.origin_mm[1] + j * g.spacing_mm[1];
        sx += x, sy += y, ++count;
        sums[static_cast<std::size_t>(k)][2 * side] += x;
        sums[static_cast<std::size_t>(k)][2 * side + 1] += y;
        ++counts[static_cast<std::size_t>(k)][static_cast<std::size_t>(side)];
        ++side_count[static_cast<std::size_t>(side)];
      }
  }
  if (side_count[0] == 0 || side_count[1] == 0)
    throw InputError("background series", "hybrid phantoms need both lungs in the series (the lung mask has " +
                                              std::string(side_count[0] ? "no left" : "no right") + " lung)");
  cx_ = sx / count, cy_ = sy / count;
  int k_low = g.slices, k_high = -1;
  for (int k = 0; k < g.slices; ++k) {
    for (int side = 0; side < 2; ++side) {
      const auto c = counts[static_cast<std::size_t>(k)][static_cast<std::size_t>(side)];
      auto& out = centre_[static_cast<std::size_t>(k)][static_cast<std::size_t>(side)];
      out = c ? ph::V3{sums[static_cast<std::size_t>(k)][2 * side] / c - cx_,
                       sums[static_cast<std::size_t>(k)][2 * side + 1] / c - cy_, z_[static_cast<std::size_t>(k)]}
              : ph::V3{side == 0 ? -80.0 : 80.0, 0.0, z_[static_cast<std::size_t>(k)]};
    }
    if (counts[static_cast<std::size_t>(k)][0] + counts[static_cast<std::size_t>(k)][1] > 0) {
      k_low = std::min(k_low, k);
      k_high = std::max(k_high, k);
    }
  }
  z_low_ = z_[static_cast<std::size_t>(k_low)];
  z_high_ = z_[static_cast<std::size_t>(k_high)];
  // In-plane box of the lungs in the frame.
  double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
  for (int k = k_low; k <= k_high; ++k) {
    const std::uint8_t* l = mask.labels.data() + static_cast<std::size_t>(k) * n;
    for (int j = 0; j < g.rows; ++j)
      for (int i = 0; i < g.cols; ++i)
        if (l[static_cast<std::size_t>(j) * g.cols + i]) {
          const ph::V3 p = voxelPoint(i, j, k);
          x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
        }
  }
  box_ = {x0, x1, y0, y1};
  depth3d_ = depthMap(mask, g.spacing_mm[2]);
  depth2d_ = depthMap(mask, 1e4);
  // Hilum: half way from the midline to each lung's centre at the middle height, a little anterior of it.
  const int k_mid = (k_low + k_high) / 2;
  for (int side = 0; side < 2; ++side) {
    const ph::V3 c = centre_[static_cast<std::size_t>(k_mid)][static_cast<std::size_t>(side)];
    hilum_[static_cast<std::size_t>(side)] = {0.45 * c.x, c.y - 10.0, z_[static_cast<std::size_t>(k_mid)]};
  }
  // Stand-in bronchi: from the hilum to random points of the same lung, in 3 segments of decreasing radius.
  ph::Rng rng = ph::Rng(seed).fork("hybrid-airways");
  for (int tries = 0; airways_.size() < 600 && tries < 20000; ++tries) {
    const ph::V3 target{rng.uniform(box_.x0, box_.x1), rng.uniform(box_.y0, box_.y1), rng.uniform(z_low_, z_high_)};
    const int side = lungSideAt(target);
    if (side < 0 || lungDepth(target) < 5.0) continue;
    const ph::V3 h = hilum_[static_cast<std::size_t>(side)];
    const ph::V3 a = h + (target - h) * 0.4, b = h + (target - h) * 0.7;
    airways_.push_back({a, b, 2.6, 1.9, 0.9f});
    airways_.push_back({b, target, 1.9, 0.9, 0.6f});
  }
}

ph::V3 MaskLungGeometry::voxelPoint(int i, int j, int k) const {
  const auto& g = mask_.geometry;
  return {g.origin_mm[0] + i * g.spacing_mm[0] - cx_, g.origin_mm[1] + j * g.spacing_mm[1] - cy_,
          z_[static_cast<std::size_t>(k)]};
}

bool MaskLungGeometry::nearestVoxel(ph::V3 p, int& i, int& j, int& k) const {
  const auto& g = mask_.geometry;
  i = static_cast<int>(std::lround((p.x + cx_ - g.origin_mm[0]) / g.spacing_mm[0]));
  j = static_cast<int>(std::lround((p.y + cy_ - g.origin_mm[1]) / g.spacing_mm[1]));
  const auto it = std::lower_bound(z_.begin(), z_.end(), p.z);
  if (it == z_.end()) {
    k = static_cast<int>(z_.size()) - 1;
    if (p.z - z_.back() > 0.5 * g.spacing_mm[2]) return false;
  } else if (it == z_.begin()) {
    k = 0;
    if (z_.front() - p.z > 0.5 * g.spacing_mm[2]) return false;
  } else {
    k = static_cast<int>(it - z_.begin());
    if (p.z - *(it - 1) < *it - p.z) --k;
  }
  return i >= 0 && j >= 0 && i < g.cols && j < g.rows;
}

lung::Zone MaskLungGeometry::zoneAt(int i, int j, int k) const {
  const auto& g = mask_.geometry;
  return static_cast<lung::Zone>(
      mask_.labels[(static_cast<std::size_t>(k) * g.rows + static_cast<std::size_t>(j)) * g.cols + i]);
}

int MaskLungGeometry::lungSideAt(ph::V3 p) const {
  int i, j, k;
  if (!nearestVoxel(p, i, j, k)) return -1;
  const lung::Zone z = zoneAt(i, j, k);
  return z == lung::Zone::None ? -1 : (lung::isRight(z) ? 0 : 1);
}

ph::Lobe MaskLungGeometry::lobeAt(ph::V3 p) const {
  int i, j, k;
  if (!nearestVoxel(p, i, j, k)) return ph::Lobe::None;
  // The zones (thirds of each lung's height) stand in for the lobes; the left lung's middle third joins its upper.
  switch (zoneAt(i, j, k)) {
    case lung::Zone::RightUpper: return ph::Lobe::RightUpper;
    case lung::Zone::RightMiddle: return ph::Lobe::RightMiddle;
    case lung::Zone::RightLower: return ph::Lobe::RightLower;
    case lung::Zone::LeftUpper:
    case lung::Zone::LeftMiddle: return ph::Lobe::LeftUpper;
    case lung::Zone::LeftLower: return ph::Lobe::LeftLower;
    case lung::Zone::None: break;
  }
  return ph::Lobe::None;
}

double MaskLungGeometry::lungDepth(ph::V3 p, bool inPlane) const {
  int i, j, k;
  if (!nearestVoxel(p, i, j, k)) return -1.0;
  const auto& g = mask_.geometry;
  const std::size_t idx = (static_cast<std::size_t>(k) * g.rows + static_cast<std::size_t>(j)) * g.cols + i;
  return inPlane ? depth2d_[idx] : depth3d_[idx];
}

ph::V3 MaskLungGeometry::lungCentre(int side, double z) const {
  const auto it = std::lower_bound(z_.begin(), z_.end(), z);
  const std::size_t k = it == z_.end() ? z_.size() - 1 : static_cast<std::size_t>(it - z_.begin());
  ph::V3 c = centre_[k][static_cast<std::size_t>(side)];
  c.z = z;
  return c;
}

}  // namespace lunglens::core::hybrid
