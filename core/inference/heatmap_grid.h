#pragma once
// Heatmap helpers for drawing AI attention maps over a slice, kept in plain C++ so they are tested without Qt:
// upsampling a small map to the slice grid, and finding the air outside the body, where no heat should be drawn.
#include <cstdint>
#include <vector>

namespace lunglens::core::inference {

// A low-resolution map over the whole slice (row-major, width x height cells; values nominally in [0, 1]) in the
// slice's own voxel order, before display flips. Cell (i, j) covers the slice evenly (cell centres at
// ((i + 0.5) * cols / width - 0.5) voxel columns, likewise rows).
struct HeatmapGrid {
  int width = 0, height = 0;
  std::vector<float> values;
};

// Bilinear upsampling to cols x rows with half-pixel centres (as torch's interpolate, align_corners=false), edges
// clamped. Throws InputError when the grid's size does not match its values.
std::vector<float> upsampleBilinear(const HeatmapGrid& grid, int cols, int rows);

// 1 where a voxel is air outside the body: HU below `air_hu` (default -900) and 4-connected to the slice border
// through such voxels. Air enclosed by tissue (the lungs) is not outside, so the lungs keep their heat; the table
// and the air around the patient lose it. Row-major cols x rows.
std::vector<std::uint8_t> outsideBodyAir(const std::int16_t* hu, int cols, int rows, int air_hu = -900);

}  // namespace lunglens::core::inference
