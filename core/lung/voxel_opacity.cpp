// Ground glass is a haze of the parenchyma, so most lung voxels around a ground-glass voxel are in the band too; a
// vessel crossing aerated lung (partial-volumed into the band on thick slices, or pulling a working cell's mean
// into it) is a thin bright line with aerated lung on both sides. So a ground-glass voxel counts only when at least
// half of the lung voxels in the square of kGgoNeighbourhood_mm around it are in the band, and no aerated voxel is
// counted.
#include "core/lung/voxel_opacity.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/lung/opacity.h"

namespace lunglens::core::lung {
namespace {

// The side of the in-plane square whose lung voxels must be mostly in the band for ground glass to count: wider
// than the vessels that cross aerated lung near the hila (up to ~6 mm), narrower than a ground-glass patch worth
// scoring.
constexpr double kGgoNeighbourhood_mm = 9.0;
// Summed-area table (cols+1) x (rows+1) of value(i) over a slice.
template <typename T, typename F>
void summedArea(std::vector<T>& table, int cols, int rows, F value) {
  const std::size_t w1 = static_cast<std::size_t>(cols) + 1;
  table.assign(w1 * (static_cast<std::size_t>(rows) + 1), 0);
  for (int y = 0; y < rows; ++y) {
    T row = 0;
    for (int x = 0; x < cols; ++x) {
      row += value(static_cast<std::size_t>(y) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(x));
      const std::size_t at = (static_cast<std::size_t>(y) + 1) * w1 + static_cast<std::size_t>(x) + 1;
      table[at] = table[at - w1] + row;
    }
  }
}

template <typename T>
T boxSum(const std::vector<T>& t, int cols, int rows, int x, int y, int rx, int ry) {
  const std::size_t w1 = static_cast<std::size_t>(cols) + 1;
  const auto x0 = static_cast<std::size_t>(std::max(0, x - rx));
  const auto x1 = static_cast<std::size_t>(std::min(cols, x + rx + 1));
  const auto y0 = static_cast<std::size_t>(std::max(0, y - ry));
  const auto y1 = static_cast<std::size_t>(std::min(rows, y + ry + 1));
  return t[y1 * w1 + x1] - t[y0 * w1 + x1] - t[y1 * w1 + x0] + t[y0 * w1 + x0];
}

}  // namespace

SliceOpacityJudge::SliceOpacityJudge(const volume::Geometry& g, const HuBands& bands)
    : cols_(g.cols), rows_(g.rows),
      ggo_rx_(std::max(1, static_cast<int>(std::lround(kGgoNeighbourhood_mm / 2 / g.spacing_mm[0])))),
      ggo_ry_(std::max(1, static_cast<int>(std::lround(kGgoNeighbourhood_mm / 2 / g.spacing_mm[1])))),
      opaque_min_(bands.ggo_min_hu) {}

void SliceOpacityJudge::judge(const std::int16_t* hu, const std::uint8_t* lung, const WorkingPlane& plane,
                              std::uint8_t* out) {
  const std::size_t cells = static_cast<std::size_t>(plane.wx) * static_cast<std::size_t>(plane.wy);
  // Most slices of most scans hold no opacity, and most of the rest no ground glass: no tables for them.
  if (std::all_of(plane.classes, plane.classes + cells, [](std::uint8_t c) { return c == kOpacityNone; })) return;
  const bool any_ggo =
      std::any_of(plane.classes, plane.classes + cells, [](std::uint8_t c) { return c == kOpacityGgo; });

  // Tables per thread, kept between slices.
  thread_local std::vector<std::int32_t> lung_sum, band_sum;
  if (any_ggo) {
    summedArea(lung_sum, cols_, rows_, [&](std::size_t i) -> std::int32_t { return lung[i] ? 1 : 0; });
    summedArea(band_sum, cols_, rows_,
               [&](std::size_t i) -> std::int32_t { return lung[i] && hu[i] >= opaque_min_ ? 1 : 0; });
  }

  for (int y = 0; y < rows_; ++y)
    for (int x = 0; x < cols_; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(x);
      if (!lung[i]) continue;
      auto c = plane.at(x, y);
      if (c != kOpacityNone && hu[i] < opaque_min_) c = kOpacityNone;
      if (c == kOpacityGgo && 2 * boxSum(band_sum, cols_, rows_, x, y, ggo_rx_, ggo_ry_) <
                                  boxSum(lung_sum, cols_, rows_, x, y, ggo_rx_, ggo_ry_))
        c = kOpacityNone;
      out[i] = c;
    }
}

}  // namespace lunglens::core::lung
