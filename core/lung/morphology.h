#pragma once
// Binary morphology with radii in millimetres on the working grid. Large radii go through ITK's signed Maurer
// distance map (cost independent of the radius, correct on anisotropic voxels); slice-wise hole filling through
// ITK's connected components of the background, all slices in one pass. Masks are 0/1 uint8.
#include <cstdint>
#include <vector>

#include "core/lung/itk_bridge.h"

namespace lunglens::core::lung {

// Signed distance (mm) to the mask's boundary: negative inside, positive outside.
FloatImage::Pointer signedDistance(const MaskImage::Pointer& mask);
// The same within each axial slice (2D): how deep a voxel lies in its slice, whatever the slice spacing. On a
// slice where the mask is empty every voxel is at +max (none is near it).
FloatImage::Pointer signedDistanceInPlane(const MaskImage::Pointer& mask);
MaskImage::Pointer dilateMm(const MaskImage::Pointer& mask, double radius_mm);
MaskImage::Pointer erodeMm(const MaskImage::Pointer& mask, double radius_mm);
MaskImage::Pointer closeMm(const MaskImage::Pointer& mask, double radius_mm);
MaskImage::Pointer openMm(const MaskImage::Pointer& mask, double radius_mm);
// Fills every hole of each axial slice (background not face-connected to the slice's border), as
// itk::BinaryFillholeImageFilter would slice by slice (any nonzero value is foreground).
MaskImage::Pointer fillHolesPerSlice(const MaskImage::Pointer& mask);

// Connected components (6-connected), relabelled by size (1 = largest); components under min_voxels dropped.
struct Components {
  LabelImage::Pointer labels;
  std::vector<std::int64_t> sizes;  // sizes[i] = voxels of label i + 1
};
Components connectedComponents(const MaskImage::Pointer& mask, std::int64_t min_voxels = 0);

// Mask of the voxels whose HU lies in [lo_hu, hi_hu] (ends clamped to int16).
MaskImage::Pointer huRange(const HuImage::Pointer& image, int lo_hu, int hi_hu);

// Mask of the voxels whose label is in [first, last].
MaskImage::Pointer labelRange(const LabelImage::Pointer& labels, std::uint32_t first, std::uint32_t last);

}  // namespace lunglens::core::lung
