#include "core/library/slice_source.h"

#include <filesystem>

#include "core/common/error.h"
#include "core/dicom/scan.h"
#include "core/dicom/slice_decoder.h"

namespace lunglens::core::library {

SliceImage loadSliceImage(const QueryRow& row) {
  if (!std::filesystem::is_regular_file(row.file))
    throw InputError(row.file, "the file of " + row.study_label + " slice " + std::to_string(row.slice) +
                                   " is missing (moved or deleted? relink the study)");
  dicom::ScanOptions options;
  options.threads = 1;
  const dicom::Catalog catalog = dicom::scan(row.file, options);
  if (catalog.series.empty() || catalog.series.front().slices.empty())
    throw InputError(row.file, "not a readable image slice any more");
  SliceImage image;
  image.header = catalog.series.front();
  const auto& h = image.header;
  volume::Geometry& g = image.geometry;
  g.cols = h.cols;
  g.rows = h.rows;
  g.slices = 1;
  g.spacing_mm = {h.pixel_spacing_mm[1], h.pixel_spacing_mm[0], h.slice_spacing_mm > 0 ? h.slice_spacing_mm : 1.0};
  g.origin_mm = h.slices.front().position_mm;
  g.row_dir = {h.orientation[0], h.orientation[1], h.orientation[2]};
  g.col_dir = {h.orientation[3], h.orientation[4], h.orientation[5]};
  g.normal = volume::cross(g.row_dir, g.col_dir);
  image.hu.resize(g.voxelsPerSlice());
  dicom::decodeSliceHu(row.file, row.frame, h.rows, h.cols, image.hu.data());
  return image;
}

}  // namespace lunglens::core::library
