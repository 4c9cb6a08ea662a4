#pragma once
// CT-like image formation for one slice: the reconstruction kernel's look (soft smooths, sharp enhances edges) and
// spatially correlated noise of a given standard deviation, then rounding to whole HU.
#include <cstdint>

#include "core/phantom/params.h"

namespace lunglens::core::phantom {

// `seed` must be unique per slice (the noise is a pure function of seed and pixel, never of thread timing).
void formImage(const float* clean, int cols, int rows, Kernel kernel, double sigma_hu, std::uint32_t seed,
               std::int16_t* out);

}  // namespace lunglens::core::phantom
