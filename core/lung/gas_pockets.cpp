// Gas pockets joined to a lung: a stomach or colon gas cap under the dome, with no diaphragm visible between them
// at the working grid's resolution. Confluent pure gas of a few mL, thick in-plane (the bronchi are as dark but
// thin, and a cap cut by two or three 5-7 mm slices is all edge in 3D, so depth is measured per slice), and gas
// throughout. Excluded like the airways, so a pocket the lung encloses on its slice (a bulla) still comes back
// with the hole filling. A cap joined to the thin dark shell a sharp kernel leaves along the pleura is judged by its
// thick part (addShellCores).

#include "core/lung/morphology.h"
#include "core/lung/segmentation_steps.h"

namespace lunglens::core::lung {
namespace {

// A pocket joined to a thin shell: on a sharp kernel the dark undershoot along the pleura (below the gas threshold)
// can touch a gas cap and make one component that is mostly shell, which the core fraction rejects as a whole. Its
// thick part is judged on its own: the deep voxels of such a component, in 3D components of at least
// gas_pocket_core_ml and gas throughout, grown back over the gas they were eroded from (within the depth, in-plane),
// are a pocket; the rest of the shell stays lung. Adds them to `pocket`; true when it added any.
bool addShellCores(const HuImage::Pointer& work, const SegmentationParams& params, const Components& pockets,
                   const std::vector<std::uint8_t>& shell, const float* depth, const MaskImage::Pointer& pocket) {
  const Dims d(work);
  const double ml = voxelMl(work);
  const auto* h = work->GetBufferPointer();
  const auto* pl = pockets.labels->GetBufferPointer();
  auto accepted = newMask(work);
  auto* am = accepted->GetBufferPointer();
  std::vector<std::uint8_t> has_core(pockets.sizes.size() + 1, 0);
  {
    auto cores = newMask(work);
    auto* cm = cores->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i)
      cm[i] = (pl[i] && shell[pl[i]] && depth[i] <= -params.gas_pocket_depth_mm) ? 1 : 0;
    const Components deep = connectedComponents(cores, static_cast<std::int64_t>(params.gas_pocket_core_ml / ml));
    if (deep.sizes.empty()) return false;
    const auto* dl = deep.labels->GetBufferPointer();
    std::vector<double> deep_hu(deep.sizes.size() + 1, 0.0);
    for (std::size_t i = 0; i < d.count(); ++i)
      if (dl[i]) deep_hu[dl[i]] += h[i];
    bool any = false;
    for (std::size_t i = 0; i < d.count(); ++i)
      if (dl[i] && deep_hu[dl[i]] / static_cast<double>(deep.sizes[dl[i] - 1]) <= params.gas_mean_hu)
        am[i] = 1, has_core[pl[i]] = 1, any = true;
    if (!any) return false;
  }
  const FloatImage::Pointer from_core = signedDistanceInPlane(accepted);
  const auto* fc = from_core->GetBufferPointer();
  auto* pm = pocket->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i)
    if (pl[i] && has_core[pl[i]] && fc[i] <= params.gas_pocket_depth_mm) pm[i] = 1;
  return true;
}

// excludeGasPockets on images cropped to the lungs; true when it changed them.
bool excludeGasPocketsIn(const HuImage::Pointer& work, const SegmentationParams& params,
                         const MaskImage::Pointer& lungs, const MaskImage::Pointer& airway) {
  const Dims d(work);
  const double ml = voxelMl(work);
  auto* o = lungs->GetBufferPointer();
  auto* a = airway->GetBufferPointer();
  auto gas = newMask(work);
  auto* g = gas->GetBufferPointer();
  const auto* h = work->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) g[i] = (o[i] && h[i] < params.gas_pocket_hu) ? 1 : 0;
  gas = fillHolesPerSlice(gas);  // noise specks above the threshold inside a pocket
  g = gas->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) g[i] = static_cast<std::uint8_t>(g[i] & o[i]);
  const Components pockets = connectedComponents(gas, static_cast<std::int64_t>(params.gas_pocket_ml / ml));
  if (pockets.sizes.empty()) return false;
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
  // shell: too few deep voxels for a pocket (re-judged below by its deep part).
  std::vector<std::uint8_t> shell(pockets.sizes.size() + 1, 0);
  for (std::size_t c = 0; c < pockets.sizes.size(); ++c) {
    thick[c + 1] = static_cast<double>(core[c + 1]) >= params.gas_pocket_core * static_cast<double>(pockets.sizes[c]);
    shell[c + 1] = !thick[c + 1];
  }
  // And gas throughout, not aerated lung with dark noise (a sharp kernel's speckle below the threshold joins up
  // into a sponge that the slice-wise filling makes solid).
  for (std::size_t c = 0; c < pockets.sizes.size(); ++c)
    if (hu_sum[c + 1] / static_cast<double>(pockets.sizes[c]) > params.gas_mean_hu) thick[c + 1] = 0;
  auto pocket = newMask(work);
  auto* pm = pocket->GetBufferPointer();
  bool any = false;
  for (std::size_t i = 0; i < d.count(); ++i) any |= (pm[i] = (pl[i] && thick[pl[i]]) ? 1 : 0) != 0;
  if (addShellCores(work, params, pockets, shell, dp, pocket)) any = true;
  if (!any) return false;
  // With the pocket its partial-volume rim (between gas and the stomach wall, still below the air threshold).
  const FloatImage::Pointer near = signedDistanceInPlane(pocket);
  const auto* np = near->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i)
    if (o[i] && np[i] <= params.gas_pocket_rim_mm) o[i] = 0, a[i] = 1;
  return true;
}

}  // namespace

void excludeGasPockets(const HuImage::Pointer& work, const SegmentationParams& params, const MaskImage::Pointer& lungs,
                       const MaskImage::Pointer& airway) {
  // Every step looks only at gas inside the lungs, so it runs on the lungs' box: one voxel more on every side keeps
  // the box's edge outside the gas, as on the whole grid (hole filling, contours), so the result is the same.
  const MaskImage::RegionType box = nonzeroBox(lungs, {1, 1, 1});
  if (box.GetNumberOfPixels() == 0) return;
  const MaskImage::Pointer part_lungs = cropped<MaskImage>(lungs, box);
  const MaskImage::Pointer part_airway = cropped<MaskImage>(airway, box);
  if (!excludeGasPocketsIn(cropped<HuImage>(work, box), params, part_lungs, part_airway)) return;
  pasteBox(part_lungs, box, lungs);
  pasteBox(part_airway, box, airway);
}

}  // namespace lunglens::core::lung
