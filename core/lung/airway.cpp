// Trachea and main bronchi: the pure-air tube at the top centre of the lungs, grown down through the darkest
// voxels (Hu et al., IEEE TMI 2001: region growing from the trachea with a leak check on the threshold).
#include <algorithm>
#include <cmath>

#include <itkBinaryThresholdImageFilter.h>

#include "core/lung/morphology.h"
#include "core/lung/segmentation.h"
#include "core/lung/segmentation_steps.h"

namespace lunglens::core::lung {
namespace {

// Growth from the seed threshold: on with a brighter threshold in 25 HU steps up to this while each step adds at most
// kLeakMl (a leak into the lung adds hundreds of mL at once) and the airway stays within kMaxAirwayMl.
constexpr int kBrightestAirHu = -850;
constexpr double kLeakMl = 60.0;
constexpr double kMaxAirwayMl = 250.0;
// Lung parenchyma: the lungs' air opened in-plane by this (the ring of partial volume around a lumen is thinner).
constexpr double kParenchymaMm = 2.5;
// The trachea and main bronchi are thicker than this in-plane (the dark shell a sharp kernel leaves along the pleura,
// joined to the bronchial tree, is thinner).
constexpr double kThickAirwayMm = 2.0;
// Their partial-volume ring: lung air within this of them in-plane, outside the parenchyma's enclosure.
constexpr double kAirwayRimMm = 4.0;

// Grows `airway` (0/1, its voxels listed in `voxels`) into the voxels of `lungs` darker than `threshold` that join
// it (6-connected): the component at `threshold` that holds it. A leak floods the lung, so the flood stops as soon as
// it would add more than `max_add` voxels, and then leaves the airway as it was and returns false. (ITK's
// ConnectedThresholdImageFilter would fill the whole lung before the size could be checked.)
bool growBelow(const HuImage::Pointer& work, const MaskImage::Pointer& lungs, const MaskImage::Pointer& airway,
               std::vector<std::size_t>& voxels, int threshold, std::size_t max_add) {
  const Dims d(work);
  const auto* lm = lungs->GetBufferPointer();
  const auto* hu = work->GetBufferPointer();
  auto* a = airway->GetBufferPointer();
  const std::size_t before = voxels.size();
  for (std::size_t k = 0; k < voxels.size(); ++k) {
    const bool within = d.forEachFaceNeighbour(voxels[k], [&](std::size_t j) {
      if (a[j] || !lm[j] || hu[j] >= threshold) return true;
      if (voxels.size() - before >= max_add) return false;
      a[j] = 1;
      voxels.push_back(j);
      return true;
    });
    if (!within) {  // a leak: undo
      for (std::size_t u = before; u < voxels.size(); ++u) a[voxels[u]] = 0;
      voxels.resize(before);
      return false;
    }
  }
  return true;
}

// In-plane opening by a disc of radius_mm.
MaskImage::Pointer openInPlane(const MaskImage::Pointer& mask, double radius_mm) {
  const Dims d(mask);
  auto core = newMask(mask);
  {
    const FloatImage::Pointer in = signedDistanceInPlane(mask);
    const auto* di = in->GetBufferPointer();
    auto* c = core->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) c[i] = di[i] <= -radius_mm ? 1 : 0;
  }
  const FloatImage::Pointer out = signedDistanceInPlane(core);
  const auto* dout = out->GetBufferPointer();
  const auto* m = mask->GetBufferPointer();
  auto opened = newMask(mask);
  auto* o = opened->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) o[i] = (m[i] && dout[i] <= radius_mm) ? 1 : 0;
  return opened;
}

// The trachea and main bronchi outside the lung take their partial-volume ring with them: otherwise the ring, lung air
// joined to the lungs through the bronchi, stays lung and encloses the lumen on its slice, and the hole filling puts
// the trachea back into the lung. Outside the lung: airway that the lung parenchyma (the lungs' air opened in-plane,
// without the thin ring) does not enclose on its slice, and thick (not the thin dark shell a sharp kernel leaves
// along the pleura, which can join the bronchial tree). Intrapulmonary bronchi are enclosed and keep their ring.
void addRimIn(const MaskImage::Pointer& lungs, const MaskImage::Pointer& airway) {
  const Dims d(lungs);
  const auto* lm = lungs->GetBufferPointer();
  auto* a = airway->GetBufferPointer();
  auto rest = newMask(lungs);
  auto* r = rest->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) r[i] = static_cast<std::uint8_t>(lm[i] && !a[i]);
  const MaskImage::Pointer enclosed = fillHolesPerSlice(openInPlane(rest, kParenchymaMm));
  const auto* e = enclosed->GetBufferPointer();
  auto outer = newMask(lungs);
  auto* o = outer->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) o[i] = static_cast<std::uint8_t>(a[i] && !e[i]);
  // Its thick part and what lies within the rim of it, on the outer airway's box grown by the rim and more (in-plane
  // maps: every distance that decides is measured to voxels inside that box).
  const auto sp = lungs->GetSpacing();
  const double reach = kThickAirwayMm + kAirwayRimMm;
  const MaskImage::RegionType box = nonzeroBox(
      outer, {static_cast<int>(std::ceil(reach / sp[0])) + 1, static_cast<int>(std::ceil(reach / sp[1])) + 1, 0});
  if (box.GetNumberOfPixels() == 0) return;
  const FloatImage::Pointer near = signedDistanceInPlane(openInPlane(cropped<MaskImage>(outer, box), kThickAirwayMm));
  const auto* dn = near->GetBufferPointer();
  const auto lo = box.GetIndex();
  const auto sz = box.GetSize();
  std::size_t k = 0;
  for (std::size_t z = 0; z < sz[2]; ++z)
    for (std::size_t y = 0; y < sz[1]; ++y)
      for (std::size_t x = 0; x < sz[0]; ++x, ++k) {
        const std::size_t i = ((z + lo[2]) * d.ny + (y + lo[1])) * d.nx + (x + lo[0]);
        if (r[i] && !e[i] && dn[k] <= kAirwayRimMm) a[i] = 1;
      }
}

// addRimIn on the slices that hold airway, cropped in-plane to the lungs' box and one voxel more: every step works
// slice by slice, and outside that box a slice holds no lung (the same result as on the whole grid, at a fraction of
// the cost of its in-plane distance maps).
void addExtrapulmonaryRim(const MaskImage::Pointer& lungs, const MaskImage::Pointer& airway) {
  MaskImage::RegionType box = nonzeroBox(lungs, {1, 1, 0});
  const MaskImage::RegionType slices = nonzeroBox(airway, {0, 0, 0});
  if (box.GetNumberOfPixels() == 0 || slices.GetNumberOfPixels() == 0) return;
  box.SetIndex(2, slices.GetIndex(2));
  box.SetSize(2, slices.GetSize(2));
  const MaskImage::Pointer part = cropped<MaskImage>(airway, box);
  addRimIn(cropped<MaskImage>(lungs, box), part);
  pasteBox(part, box, airway);
}

}  // namespace

MaskImage::Pointer findAirway(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                              std::vector<std::string>& warnings) {
  const auto size = work->GetLargestPossibleRegion().GetSize();
  const int nx = static_cast<int>(size[0]), nz = static_cast<int>(size[2]);
  const std::size_t ns = static_cast<std::size_t>(nx) * size[1], n = ns * nz;
  const auto sp = work->GetSpacing();
  const double ml = sp[0] * sp[1] * sp[2] / 1000.0;
  const auto* lm = lungs->GetBufferPointer();
  const auto* hu = work->GetBufferPointer();

  // The lungs' top slice and left-right centre.
  int ztop = -1, x0 = nx, x1 = -1;
  for (std::size_t i = 0; i < n; ++i)
    if (lm[i]) {
      const int x = static_cast<int>(i % nx);
      x0 = std::min(x0, x), x1 = std::max(x1, x);
      ztop = std::max(ztop, static_cast<int>(i / ns));
    }
  auto none = newMask(work);
  if (ztop < 0) return none;
  const double xc = 0.5 * (x0 + x1), half_width = 0.5 * (x1 - x0 + 1);
  const int zlow = std::max(0, ztop - static_cast<int>(std::ceil(20.0 / sp[2])));

  MaskImage::Pointer found;
  int found_threshold = 0;
  for (int threshold = -950; threshold >= -1000 && !found; threshold -= 25) {
    auto dark = newMask(work);
    auto* dm = dark->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i) dm[i] = (lm[i] && hu[i] < threshold) ? 1 : 0;
    Components c = connectedComponents(dark, static_cast<std::int64_t>(0.2 / ml));
    if (c.sizes.empty()) continue;
    // Seed: the dark component nearest the centre line within the top 2 cm of the lungs.
    std::uint32_t best = 0;
    double best_dx = 0.2 * half_width;
    const auto* l = c.labels->GetBufferPointer();
    for (int z = zlow; z <= ztop; ++z)
      for (std::size_t j = 0; j < ns; ++j) {
        const auto v = l[static_cast<std::size_t>(z) * ns + j];
        if (!v) continue;
        const double dx = std::abs(static_cast<double>(j % nx) - xc);
        if (dx < best_dx) best_dx = dx, best = v;
      }
    // None: the trachea is not in the series (it starts below the carina) or not joined to the lungs.
    if (!best) return none;
    const double volume_ml = static_cast<double>(c.sizes[best - 1]) * ml;
    if (volume_ml > kMaxAirwayMl) continue;  // leaked into the lung: try a darker threshold
    found = labelRange(c.labels, best, best);
    found_threshold = threshold;
  }
  if (!found) {
    warnings.push_back("trachea not found or not separable from the lungs: airways may be included");
    return none;
  }
  // Air in a real trachea reads -900 to -980 HU (calibration, scatter; a soft kernel averages the lumen with its
  // wall: A0001's soft reconstruction has 0.5 mL below -950 HU): grown on while it does not leak into the lung.
  std::vector<std::size_t> voxels;
  {
    const auto* f = found->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i)
      if (f[i]) voxels.push_back(i);
  }
  const auto max_voxels = static_cast<std::size_t>(kMaxAirwayMl / ml);
  for (int t = found_threshold + 25; t <= kBrightestAirHu; t += 25) {
    const std::size_t room = std::min(static_cast<std::size_t>(kLeakMl / ml),
                                      max_voxels > voxels.size() ? max_voxels - voxels.size() : 0);
    if (!growBelow(work, lungs, found, voxels, t, room)) break;
  }
  addExtrapulmonaryRim(lungs, found);
  return found;
}

}  // namespace lunglens::core::lung
