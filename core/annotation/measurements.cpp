#include "core/annotation/measurements.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/common/error.h"
#include "core/common/number_format.h"

namespace lunglens::core::annotation {
namespace {

bool isRegion(const Annotation& a) { return a.kind == AnnotationKind::Ellipse || a.kind == AnnotationKind::Freehand; }

// Even-odd rule: count the polygon edges crossed by a ray from (x, y) towards +x.
bool insidePolygon(const std::vector<VoxelPoint>& poly, double x, double y) {
  bool inside = false;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const VoxelPoint& a = poly[i];
    const VoxelPoint& b = poly[j];
    if ((a.y > y) != (b.y > y)) {
      const double crossX = a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y);
      if (x < crossX) inside = !inside;
    }
  }
  return inside;
}

// The voxel rectangle that can hold inside voxels, clipped to the slice.
void bounds(const Annotation& roi, int cols, int rows, int& c0, int& c1, int& r0, int& r1) {
  double minX = roi.points[0].x, maxX = minX, minY = roi.points[0].y, maxY = minY;
  for (const auto& p : roi.points) {
    minX = std::min(minX, p.x), maxX = std::max(maxX, p.x);
    minY = std::min(minY, p.y), maxY = std::max(maxY, p.y);
  }
  c0 = std::max(0, static_cast<int>(std::ceil(minX)));
  c1 = std::min(cols - 1, static_cast<int>(std::floor(maxX)));
  r0 = std::max(0, static_cast<int>(std::ceil(minY)));
  r1 = std::min(rows - 1, static_cast<int>(std::floor(maxY)));
}

}  // namespace

double lengthMm(VoxelPoint a, VoxelPoint b, double columnSpacing_mm, double rowSpacing_mm) {
  const double dx = (b.x - a.x) * columnSpacing_mm;
  const double dy = (b.y - a.y) * rowSpacing_mm;
  return std::sqrt(dx * dx + dy * dy);
}

double lengthMm(const Annotation& length, const volume::Geometry& geometry) {
  if (length.kind != AnnotationKind::Length) throw InputError("annotation " + std::to_string(length.id), "not a length");
  validate(length);
  return lengthMm(length.points[0], length.points[1], geometry.spacing_mm[0], geometry.spacing_mm[1]);
}

bool voxelInside(const Annotation& roi, int c, int r) {
  if (roi.kind == AnnotationKind::Ellipse) {
    const auto& p = roi.points;
    const double cx = (p[0].x + p[1].x) / 2.0, cy = (p[0].y + p[1].y) / 2.0;
    const double rx = std::abs(p[1].x - p[0].x) / 2.0, ry = std::abs(p[1].y - p[0].y) / 2.0;
    if (rx <= 0.0 || ry <= 0.0) return false;
    const double u = (c - cx) / rx, v = (r - cy) / ry;
    return u * u + v * v <= 1.0;
  }
  if (roi.kind == AnnotationKind::Freehand) return insidePolygon(roi.points, c, r);
  return false;
}

std::vector<std::uint8_t> roiMask(const Annotation& roi, int cols, int rows) {
  validate(roi);
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows), 0);
  if (!isRegion(roi) || cols <= 0 || rows <= 0) return mask;
  int c0, c1, r0, r1;
  bounds(roi, cols, rows, c0, c1, r0, r1);
  for (int r = r0; r <= r1; ++r) {
    for (int c = c0; c <= c1; ++c) {
      if (voxelInside(roi, c, r)) mask[static_cast<std::size_t>(r) * cols + c] = 1;
    }
  }
  return mask;
}

std::optional<RoiStats> roiStats(const Annotation& roi, const std::int16_t* hu, int cols, int rows,
                                 double columnSpacing_mm, double rowSpacing_mm) {
  if (!isRegion(roi)) {
    throw InputError("annotation " + std::to_string(roi.id), "HU statistics need an ellipse or freehand region");
  }
  validate(roi);
  int c0, c1, r0, r1;
  bounds(roi, cols, rows, c0, c1, r0, r1);
  std::size_t n = 0;
  double sum = 0.0, sumSq = 0.0;
  int lo = 0, hi = 0;
  for (int r = r0; r <= r1; ++r) {
    for (int c = c0; c <= c1; ++c) {
      if (!voxelInside(roi, c, r)) continue;
      const int v = hu[static_cast<std::size_t>(r) * cols + c];
      if (n == 0) lo = hi = v;
      lo = std::min(lo, v), hi = std::max(hi, v);
      sum += v, sumSq += static_cast<double>(v) * v;
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  RoiStats s;
  s.voxel_count = n;
  s.mean_hu = sum / static_cast<double>(n);
  s.sd_hu = std::sqrt(std::max(0.0, sumSq / static_cast<double>(n) - s.mean_hu * s.mean_hu));
  s.min_hu = lo;
  s.max_hu = hi;
  s.area_mm2 = static_cast<double>(n) * columnSpacing_mm * rowSpacing_mm;
  return s;
}

std::optional<RoiStats> roiStats(const Annotation& roi, const volume::Volume& volume) {
  if (roi.slice < 0 || roi.slice >= volume.slices()) {
    throw InputError("annotation " + std::to_string(roi.id), "slice " + std::to_string(roi.slice + 1) +
                                                                 " is outside the series");
  }
  if (!volume.sliceReady(roi.slice)) {
    throw InputError("annotation " + std::to_string(roi.id), "its slice is not loaded yet");
  }
  const auto& g = volume.geometry();
  return roiStats(roi, volume.slice(roi.slice), g.cols, g.rows, g.spacing_mm[0], g.spacing_mm[1]);
}

std::string measurementText(const Annotation& a, const volume::Volume* volume) {
  if (a.kind == AnnotationKind::Length) {
    if (!volume) return "";
    return fixed(lengthMm(a, volume->geometry()), 1) + " mm";
  }
  if (!isRegion(a) || !volume || a.slice >= volume->slices() || !volume->sliceReady(a.slice)) return "";
  const auto stats = roiStats(a, *volume);
  if (!stats) return "no voxel inside";
  return "mean " + fixed(stats->mean_hu, 0) + " HU, SD " + fixed(stats->sd_hu, 0) + "\nmin " +
         std::to_string(stats->min_hu) + ", max " + std::to_string(stats->max_hu) + " HU, " +
         fixed(stats->area_mm2, 1) + " mm\u00b2";
}

}  // namespace lunglens::core::annotation
