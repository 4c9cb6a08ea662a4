#pragma once
// Binary erosion and dilation by ITK's ball (itk::FlatStructuringElement::Ball), the voxels itk::BinaryErode /
// BinaryDilateImageFilter give, through one exact distance map instead of ITK's surface walk. A voxel offset d lies
// in Ball(r) when sum_i (d_i / (r_i + 0.5))^2 <= 1, i.e. when the two voxels are at most 1 apart on a grid of
// spacing 1 / (r_i + 0.5): so the erosion keeps the voxels whose nearest background voxel is farther than 1 on that
// grid, and the dilation adds those whose nearest foreground voxel is within 1 (itk::SignedMaurerDistanceMapImage-
// Filter, exact). The sum is never exactly 1, and the map is held precisely enough (float or double, from the gap
// between 1 and the nearest sum that occurs) that no rounding decides. Cost independent of the radius; at the
// opacity step's radii (1-2 voxels) about 2-2.5x faster than ITK's filters.
#include <array>

#include "core/lung/itk_bridge.h"

namespace lunglens::core::lung {

using BallRadius = std::array<unsigned, 3>;  // voxels per axis, as FlatStructuringElement<3>::Ball takes them

// Outside the image counts as foreground (ITK's BoundaryToForeground): the image edge does not erode.
MaskImage::Pointer erodeBall(const MaskImage::Pointer& mask, const BallRadius& radius);
// Outside the image counts as background.
MaskImage::Pointer dilateBall(const MaskImage::Pointer& mask, const BallRadius& radius);
// Dilation then erosion with outside the image background throughout, as ITK's BinaryMorphologicalClosingImageFilter
// with SafeBorder (the mask padded by the radius, closed, cropped back): the image's edge closes nothing.
MaskImage::Pointer closeBall(const MaskImage::Pointer& mask, const BallRadius& radius);

}  // namespace lunglens::core::lung
