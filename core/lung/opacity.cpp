// Opacity by HU band alone counts every vessel, fissure and partial-volume rim of normal lung as ground glass or
// consolidation. Opacities are extended regions, so each band mask is opened with a small ball (a few mm: thin
// vessels, fissures, noise specks and rims go) and closed again (air bronchograms and vessels inside a patch stay
// part of it), then limited to the lung. Consolidation wins over ground glass.
#include "core/lung/opacity.h"

#include <algorithm>
#include <cmath>

#include <itkBinaryMorphologicalClosingImageFilter.h>
#include <itkBinaryMorphologicalOpeningImageFilter.h>
#include <itkFlatStructuringElement.h>

namespace lunglens::core::lung {
namespace {

using Kernel = itk::FlatStructuringElement<3>;

// A ball of radius_mm in voxels per axis (0 along an axis whose spacing is over 1.5x the radius: in-plane only).
Kernel ballMm(const MaskImage::Pointer& like, double radius_mm) {
  Kernel::RadiusType r;
  const auto sp = like->GetSpacing();
  for (unsigned a = 0; a < 3; ++a) {
    const long v = std::lround(radius_mm / sp[a]);
    r[a] = static_cast<itk::SizeValueType>(a < 2 ? std::max(1L, v) : std::max(0L, v));
  }
  return Kernel::Ball(r);
}

MaskImage::Pointer openClose(const MaskImage::Pointer& mask, double open_mm, double close_mm) {
  auto open = itk::BinaryMorphologicalOpeningImageFilter<MaskImage, MaskImage, Kernel>::New();
  open->SetInput(mask);
  open->SetKernel(ballMm(mask, open_mm));
  open->SetForegroundValue(1);
  open->SetBackgroundValue(0);
  auto close = itk::BinaryMorphologicalClosingImageFilter<MaskImage, MaskImage, Kernel>::New();
  close->SetInput(open->GetOutput());
  close->SetKernel(ballMm(mask, close_mm));
  close->SetForegroundValue(1);
  close->SetSafeBorder(true);
  close->Update();
  MaskImage::Pointer out = close->GetOutput();
  out->DisconnectPipeline();
  return out;
}

}  // namespace

MaskImage::Pointer classifyOpacity(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                                   const HuBands& bands, const CancelToken& cancel) {
  const auto n = work->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto* h = work->GetBufferPointer();
  const auto* l = lungs->GetBufferPointer();
  auto any = newMask(work);
  auto dense = newMask(work);
  auto* a = any->GetBufferPointer();
  auto* d = dense->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) {
    if (!l[i]) continue;
    const double v = h[i];
    a[i] = (v >= bands.ggo_min_hu && v <= bands.consolidation_max_hu) ? 1 : 0;
    d[i] = (v >= bands.consolidation_min_hu && v <= bands.consolidation_max_hu) ? 1 : 0;
  }
  constexpr double kOpenMm = 2.5, kCloseMm = 2.5;
  MaskImage::Pointer opaque = openClose(any, kOpenMm, kCloseMm);
  cancel.throwIfCancelled();
  MaskImage::Pointer solid = openClose(dense, kOpenMm, kCloseMm);
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

}  // namespace lunglens::core::lung
