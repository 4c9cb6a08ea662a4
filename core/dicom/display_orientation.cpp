#include "core/dicom/display_orientation.h"

#include <cmath>

namespace lunglens::core::dicom {
namespace {

// The patient axis (0 = X L, 1 = Y P, 2 = Z H) a direction mostly runs along.
int dominantAxis(const double* d) {
  int axis = 0;
  for (int i = 1; i < 3; ++i) {
    if (std::abs(d[i]) > std::abs(d[axis])) axis = i;
  }
  return axis;
}

// Wanted sign along each axis, for increasing column (rightward) or row (downward) index: toward L (+X) and P (+Y),
// and toward the feet (-Z) so the head is at the top or on the left.
constexpr double kWantedSign[3] = {+1.0, +1.0, -1.0};

}  // namespace

DisplayFlip radiologicalFlip(const std::array<double, 6>& o) {
  const double* row = o.data();
  const double* col = o.data() + 3;
  const int ra = dominantAxis(row), ca = dominantAxis(col);
  DisplayFlip flip;
  flip.horizontal = row[ra] * kWantedSign[ra] < 0;
  flip.vertical = col[ca] * kWantedSign[ca] < 0;
  return flip;
}

}  // namespace lunglens::core::dicom
