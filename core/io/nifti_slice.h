#pragma once
// One axial slice of a NIfTI volume, laid out as an axial DICOM slice is read (columns towards the patient's left,
// rows towards posterior), so slices from NIfTI sets look like the DICOM series the viewer and the models see.
#include <cstdint>
#include <vector>

#include "core/io/nifti.h"

namespace lunglens::core::io {

// How the stored (i, j) axes map to display rows and columns, from the volume's affine: i or j may run along either
// in-plane axis and in either direction. An affine without in-plane direction (all zero) keeps the stored order.
struct SliceLayout {
  bool transpose = false;  // display columns follow j (not i)
  bool flip_cols = false, flip_rows = false;
  int rows = 0, cols = 0;
};
SliceLayout sliceLayout(const NiftiVolume& volume);

// Slice k (0-based along the stored third axis), scaled by scl_slope/scl_inter, rounded and clamped to int16
// (HU for a CT volume; label values for a mask). Throws InputError if k is out of range.
std::vector<std::int16_t> niftiSlice(const NiftiVolume& volume, int k, const SliceLayout& layout);

}  // namespace lunglens::core::io
