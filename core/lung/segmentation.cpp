#include "core/lung/segmentation.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <itkBinaryThresholdImageFilter.h>

#include "core/common/error.h"
#include "core/lung/cavity.h"
#include "core/lung/costal.h"
#include "core/lung/morphology.h"

namespace lunglens::core::lung {
namespace {

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
};

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
                                           std::size_t k) {
  const Dims d(labels);
  std::vector<ComponentStats> st(k);
  const auto* l = labels->GetBufferPointer();
  const auto* h = hu->GetBufferPointer();
  std::size_t i = 0;
  for (int z = 0; z < d.nz; ++z)
    for (int y = 0; y < d.ny; ++y)
      for (int x = 0; x < d.nx; ++x, ++i) {
        const auto v = l[i];
        if (v == 0 || v > k) continue;
        auto& s = st[v - 1];
        ++s.n;
        s.sx += x;
        s.sy += y;
        s.sz += z;
        s.shu += h[i];
        s.x0 = std::min(s.x0, x), s.x1 = std::max(s.x1, x);
        s.y0 = std::min(s.y0, y), s.y1 = std::max(s.y1, y);
        s.z0 = std::min(s.z0, z), s.z1 = std::max(s.z1, z);
        if (x == 0 || y == 0 || x == d.nx - 1 || y == d.ny - 1) s.border = true;
      }
  return st;
}

// Patient x (LPS: + = patient left) of a working-grid index position.
double patientX(const volume::Geometry& g, const WorkingGrid& grid, double x, double y, double z) {
  const double fx = x * grid.fxy + 0.5 * (grid.fxy - 1), fy = y * grid.fxy + 0.5 * (grid.fxy - 1);
  const double fz = z * grid.fz + 0.5 * (grid.fz - 1);
  return g.voxelToPatient(fx, fy, fz)[0];
}

double voxelMl(const itk::ImageBase<3>* image) {
  const auto s = image->GetSpacing();
  return s[0] * s[1] * s[2] / 1000.0;
}

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
      const bool below_open = zb < 0 || zb >= d.nz ||
                              (!c[static_cast<std::size_t>(zb) * d.slice() + j] &&
                               l[static_cast<std::size_t>(zb) * d.slice() + j] != v);
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
        if (aw[gi] && !e[ci]) continue;       // trachea / main bronchus outside the lung
        // What only the closing adds must lie against the ribs or spine (dense disease at the pleura); the same
        // notch on the mediastinal side is a vessel or the heart.
        if (co && !rw[ci] && !e[ci] && !co[gi]) continue;
        if (out[gi] && out[gi] != side) continue;  // the other lung's own voxel
        out[gi] = side;
      }
}

}  // namespace

Segmentation segmentLungs(const HuImage::Pointer& work, const volume::Geometry& geometry, const WorkingGrid& grid,
                          const SegmentationParams& params, const CancelToken& cancel) {
  Segmentation seg;
  const Dims d(work);
  const double ml = voxelMl(work);
  if (geometry.slices < 3 || d.nz < 2)
    throw InputError("lung analysis", "no lungs found: " + std::to_string(geometry.slices) +
                                          " slice(s) is not a chest CT volume");

  // Air (and aerated lung) vs tissue; components of it, relabelled by size, specks dropped.
  const MaskImage::Pointer air = huRange(work, std::numeric_limits<std::int16_t>::min(), params.air_hu - 1);
  cancel.throwIfCancelled();
  Components comps = connectedComponents(air, static_cast<std::int64_t>(2.0 / ml));
  cancel.throwIfCancelled();
  const std::size_t k = std::min<std::size_t>(comps.sizes.size(), 64);
  const auto stats = componentStats(comps.labels, work, k);

  // Lung candidates: inside the body (not the outside air, which reaches the image edge), not gas (bowel, a
  // trachea on its own), not flat (the table's foam core), at least a few mL.
  std::vector<std::uint32_t> candidates;
  const auto sp = work->GetSpacing();
  for (std::size_t i = 0; i < k; ++i) {
    const auto& s = stats[i];
    if (s.n == 0 || s.border) continue;
    if (s.meanHu() < params.gas_mean_hu) continue;
    const double wx = (s.x1 - s.x0 + 1) * sp[0], wy = (s.y1 - s.y0 + 1) * sp[1];
    if (wy < 0.3 * wx || wx < 0.15 * wy) continue;
    if (static_cast<double>(s.n) * ml < 5.0) continue;
    candidates.push_back(static_cast<std::uint32_t>(i + 1));
  }
  if (candidates.empty())
    throw InputError("lung analysis", "no lungs found: no air-filled region inside the body");
  // Both lungs (or the lungs joined by the airways) are far larger than any other air inside a chest.
  const std::int64_t largest = stats[candidates.front() - 1].n;
  auto lungs = newMask(work);
  {
    std::vector<std::uint8_t> keep(k + 1, 0);
    double total_ml = 0;
    for (auto c : candidates)
      if (stats[c - 1].n >= largest / 8) {
        keep[c] = 1;
        total_ml += static_cast<double>(stats[c - 1].n) * ml;
      }
    if (total_ml < params.min_lung_ml) {
      std::ostringstream m;
      m << "no lungs found: the largest air-filled region inside the body is " << std::lround(total_ml)
        << " mL (a chest CT shows at least " << params.min_lung_ml << " mL of lung)";
      throw InputError("lung analysis", m.str());
    }
    const auto* l = comps.labels->GetBufferPointer();
    auto* o = lungs->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) o[i] = (l[i] <= k) ? keep[l[i]] : 0;
  }
  // The air around the body (what reaches the image's edge): the costal step measures the chest wall from it.
  MaskImage::Pointer outside = newMask(work);
  {
    const auto* l = comps.labels->GetBufferPointer();
    auto* o = outside->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) o[i] = (l[i] && l[i] <= k && stats[l[i] - 1].border) ? 1 : 0;
  }
  comps = {};
  cancel.throwIfCancelled();

  seg.airway = findAirway(work, lungs, seg.warnings);
  {
    auto* o = lungs->GetBufferPointer();
    auto* a = seg.airway->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i)
      if (a[i]) o[i] = 0;
    // Gas pockets joined to a lung (a stomach or colon gas cap under the dome, with no diaphragm visible between
    // them at this resolution): confluent pure gas of a few mL. They are excluded like the airways, so a pocket
    // that the lung encloses on its slice (a bulla) still comes back with the hole filling.
    auto gas = newMask(work);
    auto* g = gas->GetBufferPointer();
    const auto* h = work->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) g[i] = (o[i] && h[i] < params.gas_pocket_hu) ? 1 : 0;
    // Only thick pockets: the bronchi are as dark but thin (the trachea went with the airway above). Thick in-plane:
    // a gas cap cut by two or three 5-7 mm slices is all edge in 3D.
    gas = fillHolesPerSlice(gas);  // noise specks above the threshold inside a pocket
    g = gas->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) g[i] = static_cast<std::uint8_t>(g[i] & o[i]);
    const Components pockets = connectedComponents(gas, static_cast<std::int64_t>(params.gas_pocket_ml / ml));
    if (!pockets.sizes.empty()) {
      const FloatImage::Pointer depth = signedDistanceInPlane(gas);
      const auto* dp = depth->GetBufferPointer();
      const auto* pl = pockets.labels->GetBufferPointer();
      std::vector<std::uint8_t> thick(pockets.sizes.size() + 1, 0);
      std::vector<double> hu_sum(pockets.sizes.size() + 1, 0.0);
      std::vector<std::int64_t> core(pockets.sizes.size() + 1, 0);
      for (std::size_t i = 0; i < d.count(); ++i) {
        if (pl[i] && dp[i] <= -params.gas_pocket_depth_mm) ++core[pl[i]];
        if (pl[i]) hu_sum[pl[i]] += h[i];
      }
      for (std::size_t c = 0; c < pockets.sizes.size(); ++c)
        thick[c + 1] = static_cast<double>(core[c + 1]) >= params.gas_pocket_core * static_cast<double>(pockets.sizes[c]);
      // And gas throughout, not aerated lung with dark noise (a sharp kernel's speckle below the threshold joins up
      // into a sponge that the slice-wise filling makes solid).
      for (std::size_t c = 0; c < pockets.sizes.size(); ++c)
        if (hu_sum[c + 1] / static_cast<double>(pockets.sizes[c]) > params.gas_mean_hu) thick[c + 1] = 0;
      auto pocket = newMask(work);
      auto* pm = pocket->GetBufferPointer();
      bool any = false;
      for (std::size_t i = 0; i < d.count(); ++i) any |= (pm[i] = (pl[i] && thick[pl[i]]) ? 1 : 0) != 0;
      // With the pocket its partial-volume rim (between gas and the stomach wall, still below the air threshold).
      if (any) {
        const FloatImage::Pointer near = signedDistanceInPlane(pocket);
        const auto* np = near->GetBufferPointer();
        for (int z = 0; z < d.nz; ++z) {
          const std::size_t z0 = static_cast<std::size_t>(z) * d.slice();
          // A slice without the pocket has no distance to it (the 2D map of an empty slice is all zero).
          if (std::find(pm + z0, pm + z0 + d.slice(), 1) == pm + z0 + d.slice()) continue;
          for (std::size_t i = z0; i < z0 + d.slice(); ++i)
            if (o[i] && np[i] <= params.gas_pocket_rim_mm) o[i] = 0, a[i] = 1;
        }
      }
    }
  }
  cancel.throwIfCancelled();

  // Left and right: two big components, or split where they touch by eroding until there are two.
  Components parts = connectedComponents(lungs, static_cast<std::int64_t>(0.5 / ml));
  auto split_core = [&](const MaskImage::Pointer& mask) -> Components {
    FloatImage::Pointer sd = signedDistance(mask);
    for (double depth = 1.5; depth <= 24.0; depth += 1.5) {
      auto t = itk::BinaryThresholdImageFilter<FloatImage, MaskImage>::New();
      t->SetInput(sd);
      t->SetLowerThreshold(-1e30f);
      t->SetUpperThreshold(static_cast<float>(-depth));
      t->SetInsideValue(1);
      t->SetOutsideValue(0);
      t->Update();
      Components core = connectedComponents(t->GetOutput(), 1);
      if (core.sizes.size() >= 2 && core.sizes[1] >= core.sizes[0] / 6) return core;
      cancel.throwIfCancelled();
    }
    return {};
  };
  bool two = parts.sizes.size() >= 2 && parts.sizes[1] >= parts.sizes[0] / 6;
  if (!two && !parts.sizes.empty()) {
    Components core = split_core(lungs);
    if (!core.sizes.empty()) {
      // Grow the two cores back: every lung voxel goes to the nearer core.
      FloatImage::Pointer d1 = signedDistance(labelRange(core.labels, 1, 1));
      FloatImage::Pointer d2 = signedDistance(labelRange(core.labels, 2, 2));
      auto* pl = parts.labels->GetBufferPointer();
      const auto* lm = lungs->GetBufferPointer();
      const auto* a = d1->GetBufferPointer();
      const auto* b = d2->GetBufferPointer();
      for (std::size_t i = 0; i < d.count(); ++i) pl[i] = lm[i] ? (a[i] <= b[i] ? 1u : 2u) : 0u;
      parts.sizes = {0, 0};
      for (std::size_t i = 0; i < d.count(); ++i)
        if (pl[i]) ++parts.sizes[pl[i] - 1];
      two = true;
    }
  }
  const std::size_t kp = std::min<std::size_t>(parts.sizes.size(), 64);
  const auto pst = componentStats(parts.labels, work, kp);
  // Side of each part: the two lungs by patient x (+x = patient left); smaller pieces join the nearer lung.
  std::vector<std::uint8_t> side(kp + 1, 0);
  if (two) {
    const double x1 = patientX(geometry, grid, pst[0].cx(), pst[0].sy / pst[0].n, pst[0].sz / pst[0].n);
    const double x2 = patientX(geometry, grid, pst[1].cx(), pst[1].sy / pst[1].n, pst[1].sz / pst[1].n);
    side[1] = x1 > x2 ? kSideLeft : kSideRight;
    side[2] = x1 > x2 ? kSideRight : kSideLeft;
    for (std::size_t i = 2; i < kp; ++i)
      side[i + 1] = std::abs(pst[i].cx() - pst[0].cx()) <= std::abs(pst[i].cx() - pst[1].cx()) ? side[1] : side[2];
  } else {
    // One lung only (after a pneumonectomy, or a collapsed lung): its side from where it lies in the body.
    const double xl = patientX(geometry, grid, pst[0].cx(), pst[0].sy / pst[0].n, pst[0].sz / pst[0].n);
    const double xc = patientX(geometry, grid, 0.5 * (d.nx - 1), pst[0].sy / pst[0].n, pst[0].sz / pst[0].n);
    side[1] = xl > xc ? kSideLeft : kSideRight;
    for (std::size_t i = 1; i < kp; ++i) side[i + 1] = side[1];
    seg.warnings.push_back(std::string("only one lung found (the ") + (side[1] == kSideLeft ? "left" : "right") +
                           "); the other is missing, collapsed or outside the series");
  }
  seg.sides = newMask(work);
  {
    auto* o = seg.sides->GetBufferPointer();
    const auto* pl = parts.labels->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) o[i] = (pl[i] && pl[i] <= kp) ? side[pl[i]] : 0;
  }
  parts = {};
  lungs = {};
  cancel.throwIfCancelled();

  // Close and fill each lung: vessels, nodules, consolidation at the pleura and the hilar notch come back in.
  const MaskImage::Pointer raw = seg.sides;
  seg.sides = newMask(work);
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
    auto* o = seg.sides->GetBufferPointer();
    const auto* r = raw->GetBufferPointer();
    for (std::size_t j = 0; j < d.count(); ++j)
      if (r[j]) o[j] = r[j];
    closeLung(one, seg.airway, costal, box, params.closing_mm, down, s, seg.sides);
    cancel.throwIfCancelled();
  }
  // Dense disease too wide for the closing, against the chest wall.
  CostalParams costal_params;
  costal_params.bone_hu = params.bone_hu;
  auto before = newMask(work);
  {
    auto* b = before->GetBufferPointer();
    const auto* o = seg.sides->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) b[i] = o[i] ? 1 : 0;
  }
  fillCostalBites(work, seg.airway, outside, seg.sides, costal_params);
  // The liver or spleen ringed by a basal crescent can pass for a bite on a slice; like a dome it has the abdomen
  // under it, so the same rule takes it out again.
  {
    // Only around what the costal step added (its box, one slice more each way): a few % of the grid.
    auto* o = seg.sides->GetBufferPointer();
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
    if (hi[0] >= 0) {
      lo[2] = std::max(0, lo[2] - 1), hi[2] = std::min(d.nz - 1, hi[2] + 1);
      MaskImage::RegionType box;
      for (int a = 0; a < 3; ++a) box.SetIndex(a, lo[a]), box.SetSize(a, static_cast<itk::SizeValueType>(hi[a] - lo[a] + 1));
      const MaskImage::Pointer was = cropped<MaskImage>(before, box);
      const MaskImage::Pointer now = cropped<MaskImage>(seg.sides, box);  // sides (1, 2) as lung (1)
      for (auto* v = now->GetBufferPointer(), *end = v + box.GetNumberOfPixels(); v != end; ++v) *v = *v ? 1 : 0;
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
  }
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
    fillCavity(work, seg.airway, outside, seg.sides, cavity_params);
  }
  cancel.throwIfCancelled();
  return seg;
}

}  // namespace lunglens::core::lung
