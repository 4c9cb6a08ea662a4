#include "core/dicom/load.h"

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/dicom/slice_decoder.h"

namespace lunglens::core::dicom {

std::shared_ptr<volume::Volume> allocateVolume(const SeriesInfo& series) {
  if (series.slices.empty()) throw InputError(series.series_uid, "the series has no slices");
  volume::Geometry g;
  g.cols = series.cols;
  g.rows = series.rows;
  g.slices = static_cast<int>(series.slices.size());
  const double z = series.slice_spacing_mm > 0   ? series.slice_spacing_mm
                   : series.slice_thickness_mm > 0 ? series.slice_thickness_mm
                                                   : 1.0;
  // PixelSpacing is (between rows, between columns); Geometry wants x (columns) first.
  g.spacing_mm = {series.pixel_spacing_mm[1], series.pixel_spacing_mm[0], z};
  g.origin_mm = series.slices.front().position_mm;
  const auto& o = series.orientation;
  g.row_dir = {o[0], o[1], o[2]};
  g.col_dir = {o[3], o[4], o[5]};
  g.normal = volume::cross(g.row_dir, g.col_dir);
  std::vector<double> positions;
  positions.reserve(series.slices.size());
  for (const auto& s : series.slices) positions.push_back(s.position_along_normal_mm);
  return std::make_shared<volume::Volume>(g, std::move(positions));
}

std::vector<int> focusFirstOrder(int slices, int focus) {
  if (focus < 0 || focus >= slices) focus = slices / 2;
  std::vector<int> order{focus};
  for (int d = 1; static_cast<int>(order.size()) < slices; ++d) {
    if (focus + d < slices) order.push_back(focus + d);
    if (focus - d >= 0) order.push_back(focus - d);
  }
  return order;
}

void fillVolume(const SeriesInfo& series, volume::Volume& target, const LoadOptions& options) {
  const volume::Geometry& g = target.geometry();
  if (g.slices != static_cast<int>(series.slices.size()) || g.rows != series.rows || g.cols != series.cols) {
    throw InternalError("fillVolume: the volume was not allocated for series " + series.series_uid);
  }
  const std::vector<int> order = focusFirstOrder(g.slices, options.focus_slice);
  const int threads = options.threads > 0 ? options.threads : defaultThreadCount();
  parallelFor(
      0, g.slices, threads,
      [&](int i) {
        const int z = order[static_cast<std::size_t>(i)];
        const SliceRef& ref = series.slices[static_cast<std::size_t>(z)];
        decodeSliceHu(ref, g.rows, g.cols, target.mutableSlice(z));
        target.markSliceReady(z);
        if (options.on_slice_ready) options.on_slice_ready(z);
      },
      options.cancel);
}

std::shared_ptr<const volume::Volume> loadSeries(const SeriesInfo& series, const LoadOptions& options) {
  auto volume = allocateVolume(series);
  fillVolume(series, *volume, options);
  return volume;
}

std::vector<std::int16_t> loadSlice(const SeriesInfo& series, int z) {
  if (z < 0 || z >= static_cast<int>(series.slices.size())) {
    throw InputError(series.series_uid, "slice " + std::to_string(z) + " is out of range (the series has " +
                                            std::to_string(series.slices.size()) + " slices)");
  }
  std::vector<std::int16_t> hu(static_cast<std::size_t>(series.rows) * static_cast<std::size_t>(series.cols));
  const SliceRef& ref = series.slices[static_cast<std::size_t>(z)];
  decodeSliceHu(ref, series.rows, series.cols, hu.data());
  return hu;
}

}  // namespace lunglens::core::dicom
