#pragma once
// Turning the headers of usable slice files into series: group by study and series UID, keep one consistent stack
// (orientation, image size, pixel spacing), drop duplicates, sort along the slice normal and describe the spacing.
#include <vector>

#include "core/dicom/file_header.h"
#include "core/dicom/series.h"

namespace lunglens::core::dicom {

struct SeriesBuild {
  std::vector<SeriesInfo> series;    // sorted by patient, study date, study UID, series number, series UID
  std::vector<SkippedFile> skipped;  // slices left out of their series, with why
};

// `slices`: headers that passed whyNotASlice().
SeriesBuild buildSeries(std::vector<FileHeader> slices);

}  // namespace lunglens::core::dicom
