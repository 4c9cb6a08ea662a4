#pragma once
// Reading a library slice's pixels back from its file (the library keeps none), for thumbnails, the presentation
// view and teaching-set exports.
#include <cstdint>
#include <vector>

#include "core/dicom/series.h"
#include "core/library/records.h"
#include "core/volume/geometry.h"

namespace lunglens::core::library {

struct SliceImage {
  dicom::SeriesInfo header;      // the file's own header (one slice): orientation, spacing, description
  volume::Geometry geometry;     // one slice
  std::vector<std::int16_t> hu;  // rows * cols, row-major
};

// Throws InputError naming the file when it is gone or cannot be decoded.
SliceImage loadSliceImage(const QueryRow& row);

}  // namespace lunglens::core::library
