#pragma once
// ITK views of LungLens data: the Volume's int16 buffer wrapped without a copy, and the working grid the lung
// segmentation runs on (the volume averaged down to about 2 mm voxels, so morphology in mm stays cheap on thin
// slices; full resolution is restored when the mask is written back).
#include <array>
#include <cstdint>
#include <vector>

#include <itkImage.h>
#include <itkRegionOfInterestImageFilter.h>

#include "core/volume/volume.h"

namespace lunglens::core::lung {

using HuImage = itk::Image<std::int16_t, 3>;
using MaskImage = itk::Image<std::uint8_t, 3>;
using LabelImage = itk::Image<std::uint32_t, 3>;
using FloatImage = itk::Image<float, 3>;

// The volume as an ITK image sharing its buffer (read-only use only). Spacing from the geometry; origin 0 and
// identity direction: the segmentation works in index space, the patient directions are applied by the caller.
HuImage::Pointer wrapVolume(const volume::Volume& volume);

// Shrink factors (in-plane, slice) that bring the voxels to about 2 mm in-plane and 2.5 mm between slices, and
// keep the working grid under ~12 M voxels.
struct WorkingGrid {
  int fxy = 1, fz = 1;
};
WorkingGrid chooseWorkingGrid(const volume::Geometry& g);

// The volume averaged over fxy x fxy x fz bins (itk::BinShrinkImageFilter); the wrapped volume itself when 1x1x1.
HuImage::Pointer workingImage(const HuImage::Pointer& full, const WorkingGrid& grid);

// A mask image of the same grid as `like`, zero-filled.
MaskImage::Pointer newMask(const itk::ImageBase<3>* like);

// A copy of `region` of the image (its own buffer, ITK's RegionOfInterest: the copy's index starts at 0 and its
// origin moves to the region's corner, so its buffer is the region, row by row).
template <typename Image>
typename Image::Pointer cropped(const typename Image::Pointer& image, const typename Image::RegionType& region) {
  auto roi = itk::RegionOfInterestImageFilter<Image, Image>::New();
  roi->SetInput(image);
  roi->SetRegionOfInterest(region);
  roi->Update();
  typename Image::Pointer out = roi->GetOutput();
  out->DisconnectPipeline();
  return out;
}

// The box of the mask's nonzero voxels grown by margin[a] voxels along axis a (clamped to the image); zero size when
// the mask is empty. Work that only looks at what lies inside a mask runs on that box (cropped<>, then pasteBox).
MaskImage::RegionType nonzeroBox(const MaskImage::Pointer& mask, const std::array<int, 3>& margin);
// Writes `part`, a copy of `box` of `whole` (cropped<>), back into it.
void pasteBox(const MaskImage::Pointer& part, const MaskImage::RegionType& box, const MaskImage::Pointer& whole);

// Sets ITK's global thread count for the filters of this analysis (0 = defaultThreadCount()).
void setItkThreads(int threads);

}  // namespace lunglens::core::lung
