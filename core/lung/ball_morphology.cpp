#include "core/lung/ball_morphology.h"

#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>
#include <vector>

namespace lunglens::core::lung {
namespace {

// Which voxels lie within 1 of a voxel of value `object` on the ball's grid (spacing 1 / (r + 0.5) per axis), as
// the squared distance map sees them (sites: the voxels of that value). The mask's buffer is shared, not copied.
template <typename Real>
std::vector<std::uint8_t> withinBall(const MaskImage::Pointer& mask, const BallRadius& radius, std::uint8_t object) {
  using RealImage = itk::Image<Real, 3>;
  auto view = MaskImage::New();
  view->SetRegions(mask->GetLargestPossibleRegion());
  view->SetPixelContainer(mask->GetPixelContainer());
  MaskImage::SpacingType spacing;
  for (unsigned a = 0; a < 3; ++a) spacing[a] = 1.0 / (radius[a] + 0.5);
  view->SetSpacing(spacing);
  auto distance = itk::SignedMaurerDistanceMapImageFilter<MaskImage, RealImage>::New();
  distance->SetInput(view);
  distance->SetUseImageSpacing(true);
  distance->SetSquaredDistance(true);
  distance->SetInsideIsPositive(false);
  distance->SetBackgroundValue(static_cast<std::uint8_t>(1 - object));  // everything else is the object
  distance->Update();
  const auto n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  const Real* d = distance->GetOutput()->GetBufferPointer();
  std::vector<std::uint8_t> near(n);
  for (std::size_t i = 0; i < n; ++i) near[i] = d[i] <= Real(1) ? 1 : 0;
  return near;
}

// The squared distances that matter are sums of 4 d_i^2 / (2 r_i + 1)^2 over integer d_i; the nearest of them to 1
// is at least 1 / prod (2 r_i + 1)^2 away. Float (half the memory: fewer fresh pages) is used while that gap is
// over 100x float's rounding, double beyond (radii of about (4, 4, 2) voxels and more).
std::vector<std::uint8_t> withinBall(const MaskImage::Pointer& mask, const BallRadius& radius, std::uint8_t object) {
  double product = 1;
  for (unsigned a = 0; a < 3; ++a) product *= (2.0 * radius[a] + 1) * (2.0 * radius[a] + 1);
  return 1.0 / product > 1e-5 ? withinBall<float>(mask, radius, object) : withinBall<double>(mask, radius, object);
}

bool contains(const MaskImage::Pointer& mask, std::uint8_t value) {
  const auto* p = mask->GetBufferPointer();
  const auto* end = p + mask->GetLargestPossibleRegion().GetNumberOfPixels();
  return std::find(p, end, value) != end;
}

MaskImage::Pointer copyOf(const MaskImage::Pointer& mask) {
  auto out = newMask(mask);
  std::copy_n(mask->GetBufferPointer(), mask->GetLargestPossibleRegion().GetNumberOfPixels(), out->GetBufferPointer());
  return out;
}

}  // namespace

MaskImage::Pointer erodeBall(const MaskImage::Pointer& mask, const BallRadius& radius) {
  // No background voxel (nothing erodes) or no foreground (nothing to erode): the distance map has no sites.
  if (!contains(mask, 0) || !contains(mask, 1)) return copyOf(mask);
  const std::vector<std::uint8_t> near_background = withinBall(mask, radius, 0);
  auto out = newMask(mask);
  const auto* m = mask->GetBufferPointer();
  auto* o = out->GetBufferPointer();
  for (std::size_t i = 0; i < near_background.size(); ++i)
    o[i] = static_cast<std::uint8_t>(m[i] && !near_background[i]);
  return out;
}

MaskImage::Pointer dilateBall(const MaskImage::Pointer& mask, const BallRadius& radius) {
  if (!contains(mask, 0) || !contains(mask, 1)) return copyOf(mask);
  const std::vector<std::uint8_t> near_foreground = withinBall(mask, radius, 1);
  auto out = newMask(mask);
  const auto* m = mask->GetBufferPointer();
  auto* o = out->GetBufferPointer();
  for (std::size_t i = 0; i < near_foreground.size(); ++i)
    o[i] = static_cast<std::uint8_t>(m[i] || near_foreground[i]);
  return out;
}

}  // namespace lunglens::core::lung
