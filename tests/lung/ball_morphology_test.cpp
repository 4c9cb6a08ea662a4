// erodeBall / dilateBall (core/lung/ball_morphology.h) against ITK's own binary erosion and dilation by the same
// FlatStructuringElement::Ball: the same voxels on random masks, anisotropic radii, masks touching the image edge,
// and the empty and full masks. fillHolesPerSlice (morphology.h) against ITK's BinaryFillholeImageFilter run
// slice by slice.
#include <gtest/gtest.h>
#include <itkBinaryDilateImageFilter.h>
#include <itkBinaryErodeImageFilter.h>
#include <itkBinaryFillholeImageFilter.h>
#include <itkBinaryMorphologicalClosingImageFilter.h>
#include <itkBinaryMorphologicalOpeningImageFilter.h>
#include <itkFlatStructuringElement.h>
#include <itkSliceBySliceImageFilter.h>

#include <cstdint>
#include <random>

#include "core/lung/ball_morphology.h"
#include "core/lung/morphology.h"

namespace lunglens::core::lung {
namespace {

using Kernel = itk::FlatStructuringElement<3>;

MaskImage::Pointer makeMask(int nx, int ny, int nz) {
  auto m = MaskImage::New();
  MaskImage::RegionType region;
  region.SetSize({{static_cast<itk::SizeValueType>(nx), static_cast<itk::SizeValueType>(ny),
                   static_cast<itk::SizeValueType>(nz)}});
  m->SetRegions(region);
  m->Allocate(true);
  return m;
}

// Random ellipsoidal blobs and single voxels (noise specks, which any erosion removes); some cross the image edge.
MaskImage::Pointer randomBlobs(int nx, int ny, int nz, unsigned seed) {
  auto m = makeMask(nx, ny, nz);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  auto* p = m->GetBufferPointer();
  for (int b = 0; b < 12; ++b) {
    const double cx = u(rng) * nx, cy = u(rng) * ny, cz = u(rng) * nz;
    const double rx = 1 + 6 * u(rng), ry = 1 + 6 * u(rng), rz = 0.5 + 3 * u(rng);
    for (int z = 0; z < nz; ++z)
      for (int y = 0; y < ny; ++y)
        for (int x = 0; x < nx; ++x) {
          const double d = (x - cx) * (x - cx) / (rx * rx) + (y - cy) * (y - cy) / (ry * ry) +
                           (z - cz) * (z - cz) / (rz * rz);
          if (d <= 1.0) p[(static_cast<std::size_t>(z) * ny + y) * nx + x] = 1;
        }
  }
  for (int s = 0; s < 40; ++s)
    p[static_cast<std::size_t>(u(rng) * (static_cast<double>(nx) * ny * nz - 1))] ^= 1;
  return m;
}

Kernel ball(const BallRadius& r) {
  Kernel::RadiusType radius;
  for (unsigned a = 0; a < 3; ++a) radius[a] = r[a];
  return Kernel::Ball(radius);
}

// One of ITK's binary filters (erode, dilate, opening) by the ball of radius r.
template <template <typename, typename, typename> class Filter>
MaskImage::Pointer itkBinary(const MaskImage::Pointer& m, const BallRadius& r) {
  auto f = Filter<MaskImage, MaskImage, Kernel>::New();
  f->SetInput(m);
  f->SetKernel(ball(r));
  f->SetForegroundValue(1);
  f->SetBackgroundValue(0);
  f->Update();
  return f->GetOutput();
}

MaskImage::Pointer itkErode(const MaskImage::Pointer& m, const BallRadius& r) {
  return itkBinary<itk::BinaryErodeImageFilter>(m, r);
}

MaskImage::Pointer itkDilate(const MaskImage::Pointer& m, const BallRadius& r) {
  return itkBinary<itk::BinaryDilateImageFilter>(m, r);
}

// Voxels where the two masks differ, and how many voxels are set in the first.
std::pair<std::size_t, std::size_t> compare(const MaskImage::Pointer& a, const MaskImage::Pointer& b) {
  const auto n = a->GetLargestPossibleRegion().GetNumberOfPixels();
  std::size_t diff = 0, set = 0;
  for (std::size_t i = 0; i < n; ++i) {
    diff += (a->GetBufferPointer()[i] != 0) != (b->GetBufferPointer()[i] != 0);
    set += a->GetBufferPointer()[i] != 0;
  }
  return {diff, set};
}

TEST(BallMorphology, SameVoxelsAsItkBinaryErodeAndDilate) {
  const BallRadius radii[] = {{1, 1, 0}, {1, 1, 1}, {2, 2, 1}, {2, 2, 2}, {3, 2, 1}, {3, 3, 2}, {4, 4, 2}, {5, 3, 0}};
  unsigned seed = 1;
  for (const BallRadius& r : radii) {
    std::size_t kept = 0;  // over the three masks: not vacuous, the erosion keeps something
    for (int k = 0; k < 3; ++k, ++seed) {
      const MaskImage::Pointer m = randomBlobs(41, 37, 19, seed);
      const auto [erode_diff, eroded] = compare(erodeBall(m, r), itkErode(m, r));
      const auto [dilate_diff, dilated] = compare(dilateBall(m, r), itkDilate(m, r));
      EXPECT_EQ(erode_diff, 0u) << "radius " << r[0] << "," << r[1] << "," << r[2] << " seed " << seed;
      EXPECT_EQ(dilate_diff, 0u) << "radius " << r[0] << "," << r[1] << "," << r[2] << " seed " << seed;
      kept += eroded;
      EXPECT_GT(dilated, compare(m, m).second);  // the dilation adds something
    }
    EXPECT_GT(kept, 0u) << "radius " << r[0] << "," << r[1] << "," << r[2];
  }
}

// Opening and closing as the opacity step runs them, against ITK's filters (closing with SafeBorder), on masks whose
// blobs cross the image's edge: the image edge neither erodes (opening) nor closes (closing).
TEST(BallMorphology, OpeningAndSafeBorderClosingAsItks) {
  const BallRadius radii[] = {{1, 1, 0}, {1, 1, 1}, {2, 2, 1}, {2, 2, 2}, {3, 2, 2}};
  unsigned seed = 50;
  for (const BallRadius& r : radii)
    for (int k = 0; k < 3; ++k, ++seed) {
      const MaskImage::Pointer m = randomBlobs(33, 29, 11, seed);
      auto close = itk::BinaryMorphologicalClosingImageFilter<MaskImage, MaskImage, Kernel>::New();
      close->SetInput(m);
      close->SetKernel(ball(r));
      close->SetForegroundValue(1);
      close->SetSafeBorder(true);
      close->Update();
      const MaskImage::Pointer itk_open = itkBinary<itk::BinaryMorphologicalOpeningImageFilter>(m, r);
      EXPECT_EQ(compare(dilateBall(erodeBall(m, r), r), itk_open).first, 0u) << "seed " << seed;
      EXPECT_EQ(compare(closeBall(m, r), close->GetOutput()).first, 0u) << "seed " << seed;
    }
}

// A wide image: ITK's distance map works on absolute positions, so the float map's rounding grows with the width;
// the same voxels as ITK's on a 512-wide slab, for radii held in float and in double.
TEST(BallMorphology, WideImageSameVoxels) {
  const BallRadius radii[] = {{3, 3, 2}, {8, 8, 0}, {2, 2, 1}};
  unsigned seed = 80;
  for (const BallRadius& r : radii) {
    const MaskImage::Pointer m = randomBlobs(512, 24, 7, seed++);
    EXPECT_EQ(compare(erodeBall(m, r), itkErode(m, r)).first, 0u) << r[0] << "," << r[1] << "," << r[2];
    EXPECT_EQ(compare(dilateBall(m, r), itkDilate(m, r)).first, 0u) << r[0] << "," << r[1] << "," << r[2];
  }
}

TEST(BallMorphology, ImageEdgeDoesNotErodeAndEmptyOrFullMasksStay) {
  const BallRadius r{2, 2, 1};
  auto full = makeMask(12, 10, 6);
  full->FillBuffer(1);
  EXPECT_EQ(compare(erodeBall(full, r), full).first, 0u);  // outside the image is foreground
  EXPECT_EQ(compare(dilateBall(full, r), full).first, 0u);
  auto empty = makeMask(12, 10, 6);
  EXPECT_EQ(compare(erodeBall(empty, r), empty).first, 0u);
  EXPECT_EQ(compare(dilateBall(empty, r), empty).first, 0u);
  // A half-space against the image edge: the erosion only eats from its inner face, as ITK's does.
  auto half = makeMask(12, 10, 6);
  for (std::size_t i = 0; i < 12 * 10 * 6; ++i) half->GetBufferPointer()[i] = (i % 12) < 6;
  EXPECT_EQ(compare(erodeBall(half, r), itkErode(half, r)).first, 0u);
  EXPECT_EQ(compare(erodeBall(half, r), half).second, 10u * 6u * 4u);  // columns 0-3 stay
}

MaskImage::Pointer itkFillHolesPerSlice(const MaskImage::Pointer& m) {
  using Mask2D = itk::Image<std::uint8_t, 2>;
  auto slicer = itk::SliceBySliceImageFilter<MaskImage, MaskImage, itk::BinaryFillholeImageFilter<Mask2D>>::New();
  auto fill = itk::BinaryFillholeImageFilter<Mask2D>::New();
  fill->SetForegroundValue(1);
  fill->SetFullyConnected(false);
  slicer->SetFilter(fill);
  slicer->SetDimension(2);
  slicer->SetInput(m);
  slicer->Update();
  return slicer->GetOutput();
}

TEST(FillHolesPerSlice, SameVoxelsAsItkBinaryFillholeSliceBySlice) {
  std::size_t filled = 0;
  for (unsigned seed = 1; seed <= 12; ++seed) {
    // Rings (holes), blobs across slice edges (regions that would run from one slice into the next through the
    // buffer's rows) and specks.
    const MaskImage::Pointer m = randomBlobs(31, 23, 9, 100 + seed);
    auto* p = m->GetBufferPointer();
    const int cx = 4 + static_cast<int>(seed % 20), cy = 4 + static_cast<int>(seed % 14);
    const int z = static_cast<int>(seed % 9);
    for (int y = cy - 3; y <= cy + 3; ++y)
      for (int x = cx - 3; x <= cx + 3; ++x)
        if (x == cx - 3 || x == cx + 3 || y == cy - 3 || y == cy + 3)
          p[(static_cast<std::size_t>(z) * 23 + y) * 31 + x] = 1;
    const MaskImage::Pointer ours = fillHolesPerSlice(m);
    EXPECT_EQ(compare(ours, itkFillHolesPerSlice(m)).first, 0u) << "seed " << seed;
    filled += compare(ours, m).first;
  }
  EXPECT_GT(filled, 100u);  // not vacuous: the rings' insides (25 pixels each, some already set) were holes
}

}  // namespace
}  // namespace lunglens::core::lung
