#pragma once
// Small synthetic volumes for the viewer tests: every voxel's HU encodes where it is, so a test can tell from a
// value which voxel it came from.
#include <memory>

#include "core/volume/volume.h"

namespace lunglens::test {

// HU at (x, y, z) = x + 100 * y + 1000 * z (fits int16 for the sizes used here).
int syntheticHu(int x, int y, int z);

// cols x rows x slices, column spacing sx, row spacing sy, 2 mm between slices, axial LPS (row +X, col +Y) unless
// row_dir / col_dir say otherwise. `ready` = mark every slice ready.
std::shared_ptr<core::volume::Volume> makeSyntheticVolume(int cols, int rows, int slices, double sx = 1.0,
                                                          double sy = 1.0, bool ready = true,
                                                          core::volume::Vec3 row_dir = {1, 0, 0},
                                                          core::volume::Vec3 col_dir = {0, 1, 0});

}  // namespace lunglens::test
