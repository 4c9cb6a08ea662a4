#pragma once
// Shared helpers for the phantom tests: generated phantoms cached per parameter set (generation takes a moment),
// and statistics measured from the label volume.
#include <cstdint>
#include <vector>

#include "core/phantom/generator.h"

namespace lunglens::test {

// Small, quick phantoms (256 x 256, 48 slices) unless the caller asks otherwise.
core::phantom::PhantomParams quickParams(std::uint64_t seed, core::phantom::Diagnosis dx,
                                         std::vector<core::phantom::Finding> findings = {}, double severity = 0.3);
const core::phantom::Phantom& cachedPhantom(const core::phantom::PhantomParams& params);

struct HuStats {
  std::int64_t count = 0;
  double mean = 0, sd = 0, median = 0;
};
// HU statistics over the voxels carrying `label`.
HuStats huStats(const core::phantom::Phantom& ph, std::uint8_t label);

// Per voxel, the in-plane distance (mm, chamfer) to the nearest voxel outside the lungs (label 0).
std::vector<float> lungDepthMap(const core::phantom::Phantom& ph);

}  // namespace lunglens::test
