#include "core/lung/ball_morphology.h"

#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>

namespace lunglens::core::lung {
namespace {

using DoubleImage = itk::Image<double, 3>;

// Squared distance from each voxel not of value `object` to the nearest voxel of that value, on the ball's grid
// (spacing 1 / (r + 0.5) per axis). The mask's buffer is shared, not copied: only the spacing differs.
DoubleImage::Pointer squaredBallDistance(const MaskImage::Pointer& mask, const BallRadius& radius,
                                         std::uint8_t object) {
  auto view = MaskImage::New();
  view->SetRegions(mask->GetLargestPossibleRegion());
  view->SetPixelContainer(mask->GetPixelContainer());
  MaskImage::SpacingType spacing;
  for (unsigned a = 0; a < 3; ++a) spacing[a] = 1.0 / (radius[a] + 0.5);
  view->SetSpacing(spacing);
  auto distance = itk::SignedMaurerDistanceMapImageFilter<MaskImage, DoubleImage>::New();
  distance->SetInput(view);
  distance->SetUseImageSpacing(true);
  distance->SetSquaredDistance(true);
  distance->SetInsideIsPositive(false);
  distance->SetBackgroundValue(static_cast<std::uint8_t>(1 - object));  // everything else is the object
  distance->Update();
  DoubleImage::Pointer out = distance->GetOutput();
  out->DisconnectPipeline();
  return out;
}

bool contains(const MaskImage::Pointer& mask, std::uint8_t value) {
  const auto* p = mask->GetBufferPointer();
  return std::find(p, p + mask->GetLargestPossibleRegion().GetNumberOfPixels(), value) !=
         p + mask->GetLargestPossibleRegion().GetNumberOfPixels();
}

MaskImage::Pointer copyOf(const MaskImage::Pointer& mask) {
  auto out = newMask(mask);
  const auto n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  std::copy_n(mask->GetBufferPointer(), n, out->GetBufferPointer());
  return out;
}

}  // namespace

MaskImage::Pointer erodeBall(const MaskImage::Pointer& mask, const BallRadius& radius) {
  // No background voxel (nothing erodes) or no foreground (nothing to erode): the distance map has no sites.
  if (!contains(mask, 0) || !contains(mask, 1)) return copyOf(mask);
  const DoubleImage::Pointer d = squaredBallDistance(mask, radius, 0);
  auto out = newMask(mask);
  const auto n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto* m = mask->GetBufferPointer();
  const double* dd = d->GetBufferPointer();
  auto* o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) o[i] = static_cast<std::uint8_t>(m[i] && dd[i] > 1.0);
  return out;
}

MaskImage::Pointer dilateBall(const MaskImage::Pointer& mask, const BallRadius& radius) {
  if (!contains(mask, 0) || !contains(mask, 1)) return copyOf(mask);
  const DoubleImage::Pointer d = squaredBallDistance(mask, radius, 1);
  auto out = newMask(mask);
  const auto n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto* m = mask->GetBufferPointer();
  const double* dd = d->GetBufferPointer();
  auto* o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) o[i] = static_cast<std::uint8_t>(m[i] || dd[i] <= 1.0);
  return out;
}

}  // namespace lunglens::core::lung
