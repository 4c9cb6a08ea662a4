#pragma once
// DICOM series as canonical series (shared by the dicom-labels and covid-ct-md importers).
#include <filesystem>

#include "core/datasets/canonical.h"
#include "core/datasets/problems.h"
#include "core/dicom/series.h"

namespace lunglens::core::datasets {

// The series' slices (most inferior first, as the scanner sorts them), labels left empty. Adds a problem for what
// the canonical dataset cannot hold or should not train on: multi-frame files, and (unless allow_uneven) gaps,
// uneven slice spacing or slices of another pixel spacing in one series (inconsistent spacing).
CanonicalSeries canonicalSeries(const dicom::SeriesInfo& series, const std::filesystem::path& root,
                                bool allow_uneven, Problems& problems, std::vector<std::string>& notes);

}  // namespace lunglens::core::datasets
