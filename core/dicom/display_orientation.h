#pragma once
// Radiological display convention: which flips make a slice show as a radiologist expects.
//   axial:    patient's left on the image's right (columns run toward +X, L), anterior at the top (rows toward +Y, P)
//   coronal:  patient's left on the image's right, head at the top (rows run toward -Z, inferior)
//   sagittal: anterior on the left (columns toward +Y, P), head at the top
// An LPS axial series with row_dir +X and col_dir +Y (the usual supine CT) needs no flip.
#include <algorithm>
#include <array>
#include <vector>

namespace lunglens::core::dicom {

struct DisplayFlip {
  bool horizontal = false;  // mirror left-right (reverse the columns)
  bool vertical = false;    // mirror top-bottom (reverse the rows)
};

// From ImageOrientationPatient (row direction, column direction; LPS).
DisplayFlip radiologicalFlip(const std::array<double, 6>& orientation);

// Applies `flip` to a row-major rows x cols image in place.
template <typename T>
void applyFlip(std::vector<T>& pixels, int rows, int cols, DisplayFlip flip) {
  const auto c = static_cast<std::size_t>(cols);
  if (flip.horizontal) {
    for (int y = 0; y < rows; ++y) std::reverse(pixels.begin() + y * c, pixels.begin() + (y + 1) * c);
  }
  if (flip.vertical) {
    for (int y = 0; y < rows / 2; ++y) {
      std::swap_ranges(pixels.begin() + y * c, pixels.begin() + (y + 1) * c, pixels.begin() + (rows - 1 - y) * c);
    }
  }
}

}  // namespace lunglens::core::dicom
