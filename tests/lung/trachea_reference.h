#pragma once
// The trachea of a real chest CT, found without core/lung, to check that the lung mask leaves it out.
#include <cstddef>
#include <vector>

#include "core/volume/volume.h"

namespace lunglens::test {

// Voxel indices of the trachea's lumen: from the top slice down, the air region (below -500 HU, in-plane,
// 4-connected) of 0.5-6 cm² nearest the image's middle column, then on each slice below the air region under the
// previous one's centre while it keeps that size and at most doubles (at the carina it splits or joins the
// lungs). Empty when the top slice shows no such region.
std::vector<std::size_t> tracheaLumen(const core::volume::Volume& volume);

}  // namespace lunglens::test
