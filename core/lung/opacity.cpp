// Opacity by HU band alone counts every vessel, fissure and partial-volume rim of normal lung as ground glass or
// consolidation. Opacities are extended regions, so each band mask is opened with a small ball (a few mm: thin
// vessels, fissures, noise specks and rims go) and closed again (air bronchograms and vessels inside a patch stay
// part of it), then limited to the lung. Consolidation wins over ground glass.
#include "core/lung/opacity.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/lung/ball_morphology.h"
#include "core/lung/morphology.h"

namespace lunglens::core::lung {
namespace {

// A ball of radius_mm in voxels per axis, as itk::FlatStructuringElement::Ball takes it (0 along an axis whose
// spacing is over 1.5x the radius: in-plane only).
BallRadius ballRadius(const MaskImage::Pointer& like, double radius_mm) {
  BallRadius r;
  const auto sp = like->GetSpacing();
  for (unsigned a = 0; a < 3; ++a) {
    const long v = std::lround(radius_mm / sp[a]);
    r[a] = static_cast<unsigned>(a < 2 ? std::max(1L, v) : std::max(0L, v));
  }
  return r;
}

// Opening, then closing (ball_morphology.h: the voxels of ITK's binary opening and closing with a safe border,
// about 2x faster here).
MaskImage::Pointer openClose(const MaskImage::Pointer& mask, double open_mm, double close_mm) {
  const BallRadius o = ballRadius(mask, open_mm), c = ballRadius(mask, close_mm);
  return closeBall(dilateBall(erodeBall(mask, o), o), c);
}

MaskImage::Pointer dilate(const MaskImage::Pointer& mask, double radius_mm) {
  return dilateBall(mask, ballRadius(mask, radius_mm));
}

// Partial volume across slices: a lung voxel whose neighbour in the slice above or below is soft tissue outside
// the lung (the top of a diaphragm dome or of the heart, the thoracic inlet over an apex) holds some of that tissue
// within its slice thickness. Where a thick slice cuts a dome nearly tangentially this is a hazy disc in the
// ground-glass band around the dome's top, one slice high, with clear lung above it: a reader knows it as partial
// volume. Ground glass of disease reaches beyond that one layer, so a ground-glass patch (3D component) is dropped
// only when most of it is such a rim; its rim voxels are not dropped from a patch that is real, which keeps the
// ground glass that rests on the diaphragm. (In-plane rims: the vessel rim above and the full-resolution rule.)
void dropSliceRimPatches(const HuImage::Pointer& work, const MaskImage::Pointer& lungs, double tissue_min_hu,
                         MaskImage::Pointer& ggo) {
  const Components patches = connectedComponents(ggo);
  if (patches.sizes.empty()) return;
  const auto size = work->GetLargestPossibleRegion().GetSize();
  const std::size_t plane = static_cast<std::size_t>(size[0]) * size[1];
  const std::size_t n = plane * size[2];
  const auto* h = work->GetBufferPointer();
  const auto* l = lungs->GetBufferPointer();
  const auto* label = patches.labels->GetBufferPointer();
  auto tissue = [&](std::size_t j) { return !l[j] && h[j] >= tissue_min_hu; };
  // Counted over the patch's lung voxels only: the closing can reach a little outside the lung, and what lies
  // outside is not counted as opacity anyway.
  std::vector<std::int64_t> rim(patches.sizes.size(), 0), in_lung(patches.sizes.size(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!label[i] || !l[i]) continue;
    ++in_lung[label[i] - 1];
    if ((i >= plane && tissue(i - plane)) || (i + plane < n && tissue(i + plane))) ++rim[label[i] - 1];
  }
  auto* g = ggo->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    if (label[i] && 2 * rim[label[i] - 1] > in_lung[label[i] - 1]) g[i] = 0;
}

constexpr double kDenseOpenMm = 4.0, kCloseMm = 2.5, kRimMm = 1.5, kGgoOpenMm = 2.5, kGgoCloseMm = 5.0;

// The classification on images already cropped to the lungs (see classifyOpacity).
MaskImage::Pointer classifyCropped(const HuImage::Pointer& work, const MaskImage::Pointer& lungs, const HuBands& bands,
                                   const CancelToken& cancel) {
  const auto n = work->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto* h = work->GetBufferPointer();
  const auto* l = lungs->GetBufferPointer();
  // Dense voxels; consolidation is the part of them that survives an opening (vessels do not).
  auto dense = newMask(work);
  auto* d = dense->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    d[i] = (l[i] && h[i] >= bands.consolidation_min_hu && h[i] <= bands.consolidation_max_hu) ? 1 : 0;
  MaskImage::Pointer solid = openClose(dense, kDenseOpenMm, kCloseMm);
  cancel.throwIfCancelled();
  // Ground-glass candidates: the GGO band, except voxels next to anything dense (the partial-volume rim of every
  // vessel and of consolidation lies in the GGO band). Opened, then closed wide enough to take the vessels inside
  // a GGO patch back in.
  MaskImage::Pointer rim = dilate(dense, kRimMm);
  auto ggo = newMask(work);
  auto* g = ggo->GetBufferPointer();
  const auto* r = rim->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    g[i] = (l[i] && !r[i] && h[i] >= bands.ggo_min_hu && h[i] < bands.ggo_max_hu) ? 1 : 0;
  rim = nullptr;
  MaskImage::Pointer opaque = openClose(ggo, kGgoOpenMm, kGgoCloseMm);
  dropSliceRimPatches(work, lungs, bands.consolidation_min_hu, opaque);
  cancel.throwIfCancelled();
  auto out = newMask(work);
  auto* o = out->GetBufferPointer();
  const auto* op = opaque->GetBufferPointer();
  const auto* so = solid->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) {
    if (!l[i]) continue;
    if (so[i]) o[i] = kOpacityConsolidation;
    else if (op[i]) o[i] = kOpacityGgo;
  }
  return out;
}

}  // namespace

MaskImage::Pointer classifyOpacity(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                                   const HuBands& bands, const CancelToken& cancel) {
  // The morphology runs on the lungs' bounding box grown by more than the largest ball: every mask it opens and
  // closes is zero outside the lungs (and the closing pads its input), so the result is the same as on the whole
  // grid, for a fraction of the voxels (the body wall, the table and the air around take up most of a chest CT's
  // grid).
  const double largest_mm = std::max({kDenseOpenMm, kCloseMm, kRimMm, kGgoOpenMm, kGgoCloseMm});
  std::array<int, 3> margin;
  for (unsigned a = 0; a < 3; ++a) margin[a] = static_cast<int>(std::ceil(largest_mm / lungs->GetSpacing()[a])) + 2;
  const MaskImage::RegionType box = nonzeroBox(lungs, margin);
  auto out = newMask(work);
  if (box.GetNumberOfPixels() == 0) return out;  // no lung voxel: no opacity
  pasteBox(classifyCropped(cropped<HuImage>(work, box), cropped<MaskImage>(lungs, box), bands, cancel), box, out);
  return out;
}

}  // namespace lunglens::core::lung
