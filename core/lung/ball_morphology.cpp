#include "core/lung/ball_morphology.h"

#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>
#include <cmath>

namespace lunglens::core::lung {
namespace {

// The mask with every voxel within 1 of a voxel of `value` on the ball's grid (spacing 1 / (r + 0.5) per axis)
// set to that value, as the squared distance map sees them (sites: the voxels of that value). The mask's buffer is
// shared with the map's input, not copied.
template <typename Real>
MaskImage::Pointer spreadOnGrid(const MaskImage::Pointer& mask, const BallRadius& radius, std::uint8_t value) {
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
  distance->SetBackgroundValue(static_cast<std::uint8_t>(1 - value));  // everything else is the object
  distance->Update();
  const auto n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  const Real* d = distance->GetOutput()->GetBufferPointer();
  const auto* m = mask->GetBufferPointer();
  auto out = newMask(mask);
  auto* o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) o[i] = d[i] <= Real(1) ? value : m[i];
  return out;
}

// How far the squared distances that can occur lie from 1 at the nearest: sums of (d_i / (r_i + 0.5))^2 over
// integer offsets (never exactly 1; offsets beyond r_i + 1 on an axis are farther still).
double gapToOne(const BallRadius& r) {
  double gap = 1.0;
  const int rx = static_cast<int>(r[0]) + 1, ry = static_cast<int>(r[1]) + 1, rz = static_cast<int>(r[2]) + 1;
  for (int z = 0; z <= rz; ++z)
    for (int y = 0; y <= ry; ++y)
      for (int x = 0; x <= rx; ++x) {
        const double s = std::pow(x / (r[0] + 0.5), 2) + std::pow(y / (r[1] + 0.5), 2) + std::pow(z / (r[2] + 0.5), 2);
        gap = std::min(gap, std::abs(s - 1.0));
      }
  return gap;
}

// Float maps take half the memory of double (fewer fresh pages). ITK's Maurer filter works in the output type on
// absolute positions (index x spacing), so a squared distance near 1 is off by up to a few times the largest
// position times float's epsilon; float is used while the gap to 1 is over 100 times that, double beyond.
MaskImage::Pointer spreadOnGrid(const MaskImage::Pointer& mask, const BallRadius& radius, std::uint8_t value) {
  const auto size = mask->GetLargestPossibleRegion().GetSize();
  double extent = 0;
  for (unsigned a = 0; a < 3; ++a) extent = std::max(extent, static_cast<double>(size[a]) / (radius[a] + 0.5));
  const bool float_is_exact = gapToOne(radius) > 100.0 * extent * 0x1p-23;
  return float_is_exact ? spreadOnGrid<float>(mask, radius, value) : spreadOnGrid<double>(mask, radius, value);
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

// The mask inside `radius` voxels of background on every side (sign > 0), or the inner part of such a padded mask
// (sign < 0): a plain copy of rows, the spacing kept.
MaskImage::Pointer padded(const MaskImage::Pointer& mask, const BallRadius& radius, int sign) {
  const auto in = mask->GetLargestPossibleRegion().GetSize();
  MaskImage::SizeType out_size;
  for (unsigned a = 0; a < 3; ++a)
    out_size[a] = static_cast<itk::SizeValueType>(static_cast<long>(in[a]) + sign * 2 * static_cast<long>(radius[a]));
  auto out = MaskImage::New();
  out->SetRegions(MaskImage::RegionType(out_size));
  out->SetSpacing(mask->GetSpacing());
  out->Allocate(true);
  const MaskImage::SizeType& small = sign > 0 ? in : out_size;  // the unpadded grid
  const MaskImage::SizeType& big = sign > 0 ? out_size : in;
  const auto* src = mask->GetBufferPointer();
  auto* dst = out->GetBufferPointer();
  for (std::size_t z = 0; z < small[2]; ++z)
    for (std::size_t y = 0; y < small[1]; ++y) {
      const std::size_t inner = (z * small[1] + y) * small[0];
      const std::size_t outer = ((z + radius[2]) * big[1] + y + radius[1]) * big[0] + radius[0];
      if (sign > 0) std::copy_n(src + inner, small[0], dst + outer);
      else std::copy_n(src + outer, small[0], dst + inner);
    }
  return out;
}

// Every voxel within the ball of a voxel of `value` takes that value: 0 erodes, 1 dilates.
MaskImage::Pointer spread(const MaskImage::Pointer& mask, const BallRadius& radius, std::uint8_t value) {
  // No voxel of either value: nothing to spread, or nothing to spread over (and the distance map would have no sites).
  if (!contains(mask, 0) || !contains(mask, 1)) return copyOf(mask);
  return spreadOnGrid(mask, radius, value);
}

}  // namespace

MaskImage::Pointer erodeBall(const MaskImage::Pointer& mask, const BallRadius& radius) {
  return spread(mask, radius, 0);
}

MaskImage::Pointer dilateBall(const MaskImage::Pointer& mask, const BallRadius& radius) {
  return spread(mask, radius, 1);
}

MaskImage::Pointer closeBall(const MaskImage::Pointer& mask, const BallRadius& radius) {
  return padded(erodeBall(dilateBall(padded(mask, radius, 1), radius), radius), radius, -1);
}

}  // namespace lunglens::core::lung
