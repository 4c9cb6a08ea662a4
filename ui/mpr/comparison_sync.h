#pragma once
// Scrolling two series together (prior and current study, or two reconstructions of one). Two series that share a
// FrameOfReferenceUID are registered by it: the partner shows the slice nearest to the same patient position.
// Without one (or with different ones), positions are matched after a manual offset the reader sets (mm along the
// slice normal, partner minus leader), starting from 0 or from aligning the two stacks' centres.
#include <string>

#include "core/volume/volume.h"

namespace lunglens::ui::mpr {

bool registeredByFrame(const std::string& frameOfReferenceA, const std::string& frameOfReferenceB);

struct SliceMatch {
  int slice = 0;        // the partner's slice (clamped to its stack)
  bool inside = false;  // the position lies within the partner's stack (half a spacing of slack at each end)
  double distance_mm = 0.0;  // between the wanted position and the chosen slice's
};

// The partner slice at leader slice `z`'s position + `offset_mm`, measured along the partner's normal.
SliceMatch matchSlice(const core::volume::Volume& leader, int z, const core::volume::Volume& partner,
                      double offset_mm);

// The offset that lines up the two stacks' centres (for series without a common frame of reference).
double centreOffset_mm(const core::volume::Volume& leader, const core::volume::Volume& partner);

}  // namespace lunglens::ui::mpr
