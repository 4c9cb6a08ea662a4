// Opacity by HU band alone counts every vessel, fissure and partial-volume rim of normal lung as ground glass or
// consolidation. Opacities are extended regions, so each band mask is opened with a small ball (a few mm: thin
// vessels, fissures, noise specks and rims go) and closed again (air bronchograms and vessels inside a patch stay
// part of it), then limited to the lung. Consolidation wins over ground glass.
#include "core/lung/opacity.h"

#include <algorithm>
#include <cmath>

#include <itkBinaryDilateImageFilter.h>
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

MaskImage::Pointer dilate(const MaskImage::Pointer& mask, double radius_mm) {
  auto dil = itk::BinaryDilateImageFilter<MaskImage, MaskImage, Kernel>::New();
  dil->SetInput(mask);
  dil->SetKernel(ballMm(mask, radius_mm));
  dil->SetForegroundValue(1);
  dil->SetBackgroundValue(0);
  dil->Update();
  MaskImage::Pointer out = dil->GetOutput();
  out->DisconnectPipeline();
  return out;
}

constexpr double kDenseOpenMm = 4.0, kCloseMm = 2.5, kRimMm = 1.5, kGgoOpenMm = 2.5, kGgoCloseMm = 5.0;

}  // namespace

MaskImage::Pointer classifyOpacity(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                                   const HuBands& bands, const CancelToken& cancel) {
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
