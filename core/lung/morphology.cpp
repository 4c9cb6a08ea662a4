#include "core/lung/morphology.h"

#include <itkBinaryThresholdImageFilter.h>
#include <itkConnectedComponentImageFilter.h>
#include <itkRelabelComponentImageFilter.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>
#include <itkSliceBySliceImageFilter.h>

#include <algorithm>
#include <limits>
#include <vector>

namespace lunglens::core::lung {
namespace {

template <typename In>
MaskImage::Pointer threshold(const typename In::Pointer& image, double lower, double upper) {
  auto t = itk::BinaryThresholdImageFilter<In, MaskImage>::New();
  t->SetInput(image);
  t->SetLowerThreshold(static_cast<typename In::PixelType>(lower));
  t->SetUpperThreshold(static_cast<typename In::PixelType>(upper));
  t->SetInsideValue(1);
  t->SetOutsideValue(0);
  t->Update();
  MaskImage::Pointer out = t->GetOutput();
  out->DisconnectPipeline();
  return out;
}

bool empty(const MaskImage::Pointer& mask) {
  const auto n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto* p = mask->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i)
    if (p[i]) return false;
  return true;
}

}  // namespace

FloatImage::Pointer signedDistance(const MaskImage::Pointer& mask) {
  auto d = itk::SignedMaurerDistanceMapImageFilter<MaskImage, FloatImage>::New();
  d->SetInput(mask);
  d->SetUseImageSpacing(true);
  d->SetSquaredDistance(false);
  d->SetInsideIsPositive(false);
  d->SetBackgroundValue(0);
  d->Update();
  FloatImage::Pointer out = d->GetOutput();
  out->DisconnectPipeline();
  return out;
}

FloatImage::Pointer signedDistanceInPlane(const MaskImage::Pointer& mask) {
  using Mask2D = itk::Image<std::uint8_t, 2>;
  using Float2D = itk::Image<float, 2>;
  using Distance2D = itk::SignedMaurerDistanceMapImageFilter<Mask2D, Float2D>;
  auto slicer = itk::SliceBySliceImageFilter<MaskImage, FloatImage, Distance2D>::New();
  auto d = Distance2D::New();
  d->SetUseImageSpacing(true);
  d->SetSquaredDistance(false);
  d->SetInsideIsPositive(false);
  d->SetBackgroundValue(0);
  slicer->SetFilter(d);
  slicer->SetDimension(2);
  slicer->SetInput(mask);
  slicer->Update();
  FloatImage::Pointer out = slicer->GetOutput();
  out->DisconnectPipeline();
  // Maurer's map of an empty slice is all zero, which would read as "on the edge": nothing is there, so nothing is
  // near it.
  const auto size = mask->GetLargestPossibleRegion().GetSize();
  const std::size_t plane = static_cast<std::size_t>(size[0]) * size[1];
  const auto* m = mask->GetBufferPointer();
  auto* o = out->GetBufferPointer();
  for (std::size_t z0 = 0; z0 < plane * size[2]; z0 += plane)
    if (std::all_of(m + z0, m + z0 + plane, [](std::uint8_t v) { return v == 0; }))
      std::fill(o + z0, o + z0 + plane, std::numeric_limits<float>::max());
  return out;
}

MaskImage::Pointer dilateMm(const MaskImage::Pointer& mask, double radius_mm) {
  if (empty(mask)) return mask;
  // Outside voxels within radius of the boundary, plus the mask itself (distance < 0 inside).
  return threshold<FloatImage>(signedDistance(mask), -1e30, radius_mm);
}

MaskImage::Pointer erodeMm(const MaskImage::Pointer& mask, double radius_mm) {
  if (empty(mask)) return mask;
  return threshold<FloatImage>(signedDistance(mask), -1e30, -radius_mm - 1e-3);
}

MaskImage::Pointer closeMm(const MaskImage::Pointer& mask, double radius_mm) {
  MaskImage::Pointer closed = erodeMm(dilateMm(mask, radius_mm), radius_mm);
  // The distance maps are voxel-discrete: keep every voxel of the input.
  auto* c = closed->GetBufferPointer();
  const auto* m = mask->GetBufferPointer();
  const auto n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i) c[i] = static_cast<std::uint8_t>(c[i] | m[i]);
  return closed;
}

MaskImage::Pointer openMm(const MaskImage::Pointer& mask, double radius_mm) {
  MaskImage::Pointer opened = dilateMm(erodeMm(mask, radius_mm), radius_mm);
  auto* o = opened->GetBufferPointer();
  const auto* m = mask->GetBufferPointer();
  const auto n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i) o[i] = static_cast<std::uint8_t>(o[i] & m[i]);
  return opened;
}

MaskImage::Pointer fillHolesPerSlice(const MaskImage::Pointer& mask) {
  // Every slice at once: the buffer read as one 2D image of nx x (ny * nz) pixels, its background labelled
  // face-connected (ITK's connected components). A background region that runs from one slice into the next does
  // so through a slice's first or last row, so it touches that slice's border and is no hole anyway; a region is
  // a hole exactly when none of its pixels lies on its slice's border. The same voxels as BinaryFillholeImageFilter
  // slice by slice (tests/lung/ball_morphology_test.cpp), without ITK's per-slice label maps (~8x the time on the
  // closing step's crops).
  using Mask2D = itk::Image<std::uint8_t, 2>;
  using Label2D = itk::Image<std::uint32_t, 2>;
  const auto size = mask->GetLargestPossibleRegion().GetSize();
  const std::size_t nx = size[0], ny = size[1], nz = size[2], n = nx * ny * nz;
  if (n == 0) return newMask(mask);
  auto background = Mask2D::New();
  Mask2D::RegionType plane;
  plane.SetSize({{static_cast<itk::SizeValueType>(nx), static_cast<itk::SizeValueType>(ny * nz)}});
  background->SetRegions(plane);
  background->Allocate();
  const auto* m = mask->GetBufferPointer();
  auto* b = background->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) b[i] = m[i] ? 0 : 1;
  auto cc = itk::ConnectedComponentImageFilter<Mask2D, Label2D>::New();
  cc->SetInput(background);
  cc->SetFullyConnected(false);
  cc->Update();
  const auto* label = cc->GetOutput()->GetBufferPointer();
  // Labels run 1..GetObjectCount(); sized from the labels themselves, so an out-of-range one cannot write past it.
  std::vector<std::uint8_t> on_border(static_cast<std::size_t>(*std::max_element(label, label + n)) + 1, 0);
  for (std::size_t z = 0; z < nz; ++z) {
    const std::uint32_t* s = label + z * nx * ny;
    for (std::size_t x = 0; x < nx; ++x) on_border[s[x]] = on_border[s[(ny - 1) * nx + x]] = 1;
    for (std::size_t y = 0; y < ny; ++y) on_border[s[y * nx]] = on_border[s[y * nx + nx - 1]] = 1;
  }
  auto out = newMask(mask);
  auto* o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) o[i] = (m[i] || !on_border[label[i]]) ? 1 : 0;
  return out;
}

Components connectedComponents(const MaskImage::Pointer& mask, std::int64_t min_voxels) {
  auto cc = itk::ConnectedComponentImageFilter<MaskImage, LabelImage>::New();
  cc->SetInput(mask);
  cc->SetFullyConnected(false);
  auto relabel = itk::RelabelComponentImageFilter<LabelImage, LabelImage>::New();
  relabel->SetInput(cc->GetOutput());
  relabel->SetMinimumObjectSize(static_cast<itk::SizeValueType>(std::max<std::int64_t>(min_voxels, 0)));
  relabel->SetSortByObjectSize(true);
  relabel->Update();
  Components out;
  out.labels = relabel->GetOutput();
  out.labels->DisconnectPipeline();
  for (auto s : relabel->GetSizeOfObjectsInPixels()) out.sizes.push_back(static_cast<std::int64_t>(s));
  return out;
}

MaskImage::Pointer huRange(const HuImage::Pointer& image, int lo_hu, int hi_hu) {
  const auto clamp16 = [](int v) { return static_cast<std::int16_t>(std::clamp(v, -32768, 32767)); };
  return threshold<HuImage>(image, clamp16(lo_hu), clamp16(hi_hu));
}

MaskImage::Pointer labelRange(const LabelImage::Pointer& labels, std::uint32_t first, std::uint32_t last) {
  return threshold<LabelImage>(labels, first, last);
}

}  // namespace lunglens::core::lung
