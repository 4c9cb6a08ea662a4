#include "core/lung/itk_bridge.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include <itkBinShrinkImageFilter.h>
#include <itkImportImageFilter.h>
#include <itkMultiThreaderBase.h>

#include "core/common/parallel.h"

namespace lunglens::core::lung {

HuImage::Pointer wrapVolume(const volume::Volume& volume) {
  const auto& g = volume.geometry();
  using Import = itk::ImportImageFilter<std::int16_t, 3>;
  auto import = Import::New();
  Import::SizeType size;
  size[0] = static_cast<itk::SizeValueType>(g.cols);
  size[1] = static_cast<itk::SizeValueType>(g.rows);
  size[2] = static_cast<itk::SizeValueType>(g.slices);
  Import::IndexType start;
  start.Fill(0);
  Import::RegionType region(start, size);
  import->SetRegion(region);
  const double spacing[3] = {g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2]};
  import->SetSpacing(spacing);
  const double origin[3] = {0, 0, 0};
  import->SetOrigin(origin);
  // ITK wants a non-const pointer; the filters below only read their input, and the image does not own the buffer.
  import->SetImportPointer(const_cast<std::int16_t*>(volume.slice(0)), g.voxelCount(), false);
  import->Update();
  HuImage::Pointer image = import->GetOutput();
  image->DisconnectPipeline();
  return image;
}

WorkingGrid chooseWorkingGrid(const volume::Geometry& g) {
  WorkingGrid w;
  const double sxy = std::min(g.spacing_mm[0], g.spacing_mm[1]);
  w.fxy = std::max(1, static_cast<int>(std::lround(2.0 / std::max(sxy, 0.05))));
  w.fz = std::max(1, static_cast<int>(std::lround(2.5 / std::max(g.spacing_mm[2], 0.05))));
  w.fxy = std::min(w.fxy, std::max(1, std::min(g.cols, g.rows) / 64));
  w.fz = std::min(w.fz, std::max(1, g.slices / 8));
  const auto voxels = [&] {
    return static_cast<double>(g.cols / w.fxy) * (g.rows / w.fxy) * (g.slices / w.fz);
  };
  while (voxels() > 12e6) {
    if (g.spacing_mm[2] * w.fz <= g.spacing_mm[0] * w.fxy) ++w.fz; else ++w.fxy;
  }
  return w;
}

HuImage::Pointer workingImage(const HuImage::Pointer& full, const WorkingGrid& grid) {
  if (grid.fxy == 1 && grid.fz == 1) return full;
  auto shrink = itk::BinShrinkImageFilter<HuImage, HuImage>::New();
  shrink->SetInput(full);
  itk::BinShrinkImageFilter<HuImage, HuImage>::ShrinkFactorsType factors;
  factors[0] = static_cast<unsigned>(grid.fxy);
  factors[1] = static_cast<unsigned>(grid.fxy);
  factors[2] = static_cast<unsigned>(grid.fz);
  shrink->SetShrinkFactors(factors);
  shrink->Update();
  HuImage::Pointer out = shrink->GetOutput();
  out->DisconnectPipeline();
  return out;
}

MaskImage::Pointer newMask(const itk::ImageBase<3>* like) {
  auto mask = MaskImage::New();
  mask->CopyInformation(like);
  mask->SetRegions(like->GetLargestPossibleRegion());
  mask->Allocate(true);
  return mask;
}

MaskImage::RegionType nonzeroBox(const MaskImage::Pointer& mask, const std::array<int, 3>& margin) {
  const auto size = mask->GetLargestPossibleRegion().GetSize();
  const int n[3] = {static_cast<int>(size[0]), static_cast<int>(size[1]), static_cast<int>(size[2])};
  const auto* m = mask->GetBufferPointer();
  int lo[3] = {n[0], n[1], n[2]}, hi[3] = {-1, -1, -1};
  std::size_t i = 0;
  for (int z = 0; z < n[2]; ++z)
    for (int y = 0; y < n[1]; ++y)
      for (int x = 0; x < n[0]; ++x, ++i)
        if (m[i]) {
          lo[0] = std::min(lo[0], x), lo[1] = std::min(lo[1], y), lo[2] = std::min(lo[2], z);
          hi[0] = std::max(hi[0], x), hi[1] = std::max(hi[1], y), hi[2] = std::max(hi[2], z);
        }
  MaskImage::RegionType box;
  if (hi[0] < 0) return box;  // size 0
  for (int a = 0; a < 3; ++a) {
    const int from = std::max(0, lo[a] - margin[a]), to = std::min(n[a] - 1, hi[a] + margin[a]);
    box.SetIndex(a, from);
    box.SetSize(a, static_cast<itk::SizeValueType>(to - from + 1));
  }
  return box;
}

void pasteBox(const MaskImage::Pointer& part, const MaskImage::RegionType& box, const MaskImage::Pointer& whole) {
  const auto whole_size = whole->GetLargestPossibleRegion().GetSize();
  const std::size_t nx = whole_size[0], ny = whole_size[1];
  // The part is the box's copy (cropped<>), the whole the working grid (index 0): the row copy relies on both.
  assert(part->GetLargestPossibleRegion().GetSize() == box.GetSize());
  assert((whole->GetLargestPossibleRegion().GetIndex() == MaskImage::IndexType{{0, 0, 0}}));
  const auto* p = part->GetBufferPointer();
  auto* w = whole->GetBufferPointer();
  const auto size = box.GetSize();
  const auto start = box.GetIndex();
  for (itk::SizeValueType z = 0; z < size[2]; ++z)
    for (itk::SizeValueType y = 0; y < size[1]; ++y) {
      const std::size_t row =
          (static_cast<std::size_t>(start[2] + static_cast<itk::IndexValueType>(z)) * ny +
           static_cast<std::size_t>(start[1] + static_cast<itk::IndexValueType>(y))) * nx +
          static_cast<std::size_t>(start[0]);
      std::copy_n(p, size[0], w + row);
      p += size[0];
    }
}

void setItkThreads(int threads) {
  const int n = threads > 0 ? threads : defaultThreadCount();
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(n);
  itk::MultiThreaderBase::SetGlobalMaximumNumberOfThreads(std::max(n, 1));
}

}  // namespace lunglens::core::lung
