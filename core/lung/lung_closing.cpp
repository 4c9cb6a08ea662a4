// Dense disease, vessels and nodules back into each lung. Each lung (cropped to its box) is closed with a ball and
// its holes filled slice by slice; what that adds on a diaphragm dome (the top of the liver or stomach ringed by the
// lung base) rests on the abdomen and is taken out again. Then the subpleural bites wider than the ball
// (costal.h), judged by the same dome rule, and, when asked, the rib-cage step (cavity.h, off by default).
#include <itkBinaryThresholdImageFilter.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/lung/cavity.h"
#include "core/lung/costal.h"
#include "core/lung/morphology.h"
#include "core/lung/segmentation_steps.h"

namespace lunglens::core::lung {
namespace {

// A hole region smaller than this is kept whatever lies under it (a vessel leaving the lung downwards).
constexpr double kDomeMinMl = 2.0;

// The slice-wise hole filling also fills the top of a diaphragm dome (liver, spleen, stomach) where a slice cuts it
// and the lung base still rings it. In 3D the two differ: what the lung encloses (a nodule, a vessel, consolidation)
// has lung under it, a dome has the abdomen under it. So a hole region (3D component of what the filling added)
// whose bottom lies over neither lung nor more of itself, over at least half of its largest cross-section, is the
// abdomen and is taken out again. `down` is the index step towards the patient's feet.
void dropDomes(const MaskImage::Pointer& closed, const MaskImage::Pointer& filled, int down, double min_ml) {
  const Dims d(filled);
  auto holes = newMask(filled);
  auto* h = holes->GetBufferPointer();
  const auto* c = closed->GetBufferPointer();
  auto* f = filled->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) h[i] = static_cast<std::uint8_t>(f[i] && !c[i]);
  const Components comps = connectedComponents(holes, static_cast<std::int64_t>(min_ml / voxelMl(filled)));
  if (comps.sizes.empty()) return;
  const std::size_t k = comps.sizes.size();
  std::vector<std::int64_t> open(k + 1, 0), widest(k + 1, 0);
  std::vector<std::int64_t> area(k + 1, 0);
  const auto* l = comps.labels->GetBufferPointer();
  for (int z = 0; z < d.nz; ++z) {
    std::fill(area.begin(), area.end(), 0);
    const int zb = z + down;
    for (std::size_t j = 0; j < d.slice(); ++j) {
      const std::size_t i = static_cast<std::size_t>(z) * d.slice() + j;
      const auto v = l[i];
      if (!v || v > k) continue;
      ++area[v];
      const bool below_open =
          zb < 0 || zb >= d.nz ||
          (!c[static_cast<std::size_t>(zb) * d.slice() + j] && l[static_cast<std::size_t>(zb) * d.slice() + j] != v);
      if (below_open) ++open[v];
    }
    for (std::size_t v = 1; v <= k; ++v) widest[v] = std::max(widest[v], area[v]);
  }
  for (std::size_t i = 0; i < d.count(); ++i) {
    const auto v = l[i];
    if (v && v <= k && 2 * open[v] >= widest[v]) f[i] = 0;
  }
}

// Closes and hole-fills one lung inside its bounding box (plus the closing radius), then writes it into `sides`
// where no other lung's own voxels are. Airway voxels are only kept where the raw lung encloses them in-plane.
void closeLung(const MaskImage::Pointer& raw, const MaskImage::Pointer& airway, const MaskImage::Pointer& costal,
               const ComponentStats& box, double radius_mm, int down, std::uint8_t side,
               const MaskImage::Pointer& sides) {
  const Dims d(raw);
  const auto sp = raw->GetSpacing();
  const int mx = static_cast<int>(std::ceil(radius_mm / sp[0])) + 1;
  const int my = static_cast<int>(std::ceil(radius_mm / sp[1])) + 1;
  const int mz = static_cast<int>(std::ceil(radius_mm / sp[2])) + 1;
  MaskImage::IndexType start;
  MaskImage::SizeType size;
  const int lo[3] = {std::max(0, box.x0 - mx), std::max(0, box.y0 - my), std::max(0, box.z0 - mz)};
  const int hi[3] = {std::min(d.nx - 1, box.x1 + mx), std::min(d.ny - 1, box.y1 + my), std::min(d.nz - 1, box.z1 + mz)};
  for (int a = 0; a < 3; ++a) {
    start[a] = lo[a];
    size[a] = static_cast<itk::SizeValueType>(hi[a] - lo[a] + 1);
  }
  const MaskImage::Pointer crop = cropped<MaskImage>(raw, MaskImage::RegionType(start, size));
  // The closing must not spread along the z edges of a partial scan: it is bounded by the crop anyway.
  MaskImage::Pointer enclosed = fillHolesPerSlice(crop);
  MaskImage::Pointer closed = closeMm(crop, radius_mm);
  MaskImage::Pointer filled = fillHolesPerSlice(closed);
  dropDomes(closed, filled, down, kDomeMinMl);
  const Dims c(crop);
  auto* out = sides->GetBufferPointer();
  const auto* f = filled->GetBufferPointer();
  const auto* e = enclosed->GetBufferPointer();
  const auto* aw = airway->GetBufferPointer();
  const auto* co = costal ? costal->GetBufferPointer() : nullptr;
  const auto* rw = crop->GetBufferPointer();
  std::size_t ci = 0;
  for (int z = 0; z < c.nz; ++z)
    for (int y = 0; y < c.ny; ++y)
      for (int x = 0; x < c.nx; ++x, ++ci) {
        if (!f[ci]) continue;
        const std::size_t gi = (static_cast<std::size_t>(z + lo[2]) * d.ny + (y + lo[1])) * d.nx + (x + lo[0]);
        if (aw[gi] && !e[ci]) continue;  // trachea / main bronchus outside the lung
        // What only the closing adds must lie against the ribs or spine (dense disease at the pleura); the same
        // notch on the mediastinal side is a vessel or the heart.
        if (co && !rw[ci] && !e[ci] && !co[gi]) continue;
        if (out[gi] && out[gi] != side) continue;  // the other lung's own voxel
        out[gi] = side;
      }
}

// The liver or spleen ringed by a basal crescent can pass for a bite on a slice; like a dome it has the abdomen
// under it, so the same rule takes it out again. Judged only around what the costal step added to `before` (its
// box, one slice more each way): a few % of the grid.
void dropCostalDomes(const MaskImage::Pointer& before, const MaskImage::Pointer& sides, int down) {
  const Dims d(sides);
  auto* o = sides->GetBufferPointer();
  const auto* b = before->GetBufferPointer();
  int lo[3] = {d.nx, d.ny, d.nz}, hi[3] = {-1, -1, -1};
  std::size_t i = 0;
  for (int z = 0; z < d.nz; ++z)
    for (int y = 0; y < d.ny; ++y)
      for (int x = 0; x < d.nx; ++x, ++i)
        if (o[i] && !b[i]) {
          lo[0] = std::min(lo[0], x), lo[1] = std::min(lo[1], y), lo[2] = std::min(lo[2], z);
          hi[0] = std::max(hi[0], x), hi[1] = std::max(hi[1], y), hi[2] = std::max(hi[2], z);
        }
  if (hi[0] < 0) return;
  lo[2] = std::max(0, lo[2] - 1), hi[2] = std::min(d.nz - 1, hi[2] + 1);
  MaskImage::RegionType box;
  for (int a = 0; a < 3; ++a)
    box.SetIndex(a, lo[a]), box.SetSize(a, static_cast<itk::SizeValueType>(hi[a] - lo[a] + 1));
  const MaskImage::Pointer was = cropped<MaskImage>(before, box);
  const MaskImage::Pointer now = cropped<MaskImage>(sides, box);  // sides (1, 2) as lung (1)
  for (auto *v = now->GetBufferPointer(), *end = v + box.GetNumberOfPixels(); v != end; ++v) *v = *v ? 1 : 0;
  dropDomes(was, now, down, kDomeMinMl);
  const auto* nw = now->GetBufferPointer();
  std::size_t k = 0;
  for (int z = lo[2]; z <= hi[2]; ++z)
    for (int y = lo[1]; y <= hi[1]; ++y)
      for (int x = lo[0]; x <= hi[0]; ++x, ++k) {
        const std::size_t g = (static_cast<std::size_t>(z) * d.ny + y) * d.nx + x;
        if (o[g] && !b[g] && !nw[k]) o[g] = 0;
      }
}

}  // namespace

MaskImage::Pointer closeLungs(const HuImage::Pointer& work, const MaskImage::Pointer& raw,
                              const MaskImage::Pointer& airway, const MaskImage::Pointer& outside,
                              const volume::Geometry& geometry, const SegmentationParams& params,
                              const CancelToken& cancel) {
  const Dims d(work);
  // Close and fill each lung: vessels, nodules, consolidation at the pleura and the hilar notch come back in.
  auto sides = newMask(work);
  MaskImage::Pointer costal;
  if (params.costal_mm > 0) {
    costal = dilateMm(huRange(work, params.bone_hu, std::numeric_limits<std::int16_t>::max()), params.costal_mm);
  }
  const int down = geometry.normal[2] >= 0.0 ? -1 : 1;  // superior = +z in LPS
  for (std::uint8_t s : {kSideRight, kSideLeft}) {
    auto t = itk::BinaryThresholdImageFilter<MaskImage, MaskImage>::New();
    t->SetInput(raw);
    t->SetLowerThreshold(s);
    t->SetUpperThreshold(s);
    t->SetInsideValue(1);
    t->SetOutsideValue(0);
    t->Update();
    MaskImage::Pointer one = t->GetOutput();
    ComponentStats box;
    const auto* m = one->GetBufferPointer();
    std::size_t i = 0;
    for (int z = 0; z < d.nz; ++z)
      for (int y = 0; y < d.ny; ++y)
        for (int x = 0; x < d.nx; ++x, ++i)
          if (m[i]) {
            ++box.n;
            box.x0 = std::min(box.x0, x), box.x1 = std::max(box.x1, x);
            box.y0 = std::min(box.y0, y), box.y1 = std::max(box.y1, y);
            box.z0 = std::min(box.z0, z), box.z1 = std::max(box.z1, z);
          }
    if (box.n == 0) continue;
    // Raw voxels of the other lung are protected: write this side's raw first.
    auto* o = sides->GetBufferPointer();
    const auto* r = raw->GetBufferPointer();
    for (std::size_t j = 0; j < d.count(); ++j)
      if (r[j]) o[j] = r[j];
    closeLung(one, airway, costal, box, params.closing_mm, down, s, sides);
    cancel.throwIfCancelled();
  }
  // Dense disease too wide for the closing, against the chest wall.
  CostalParams costal_params;
  costal_params.bone_hu = params.bone_hu;
  auto before = newMask(work);
  {
    auto* b = before->GetBufferPointer();
    const auto* o = sides->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) b[i] = o[i] ? 1 : 0;
  }
  fillCostalBites(work, airway, outside, sides, costal_params);
  dropCostalDomes(before, sides, down);
  if (params.cavity) {
    // Dense disease out to the rib cage (experimental, off by default); it keeps off the abdomen by its own rule.
    CavityParams cavity_params;
    cavity_params.air_hu = params.air_hu;
    cavity_params.bone_hu = params.bone_hu;
    // The patient's front (-y in LPS) in the slice plane, per mm along the grid's x and y.
    const double ax = -geometry.row_dir[1], ay = -geometry.col_dir[1];
    if (std::hypot(ax, ay) > 0)
      cavity_params.anterior[0] = ax / std::hypot(ax, ay), cavity_params.anterior[1] = ay / std::hypot(ax, ay);
    cavity_params.down = down;
    fillCavity(work, airway, outside, sides, cavity_params);
  }
  cancel.throwIfCancelled();
  return sides;
}

}  // namespace lunglens::core::lung
