#pragma once
// Writing a phantom as a DICOM CT series (CT Image Storage, Explicit VR Little Endian, one file per slice) with
// GDCM: patient, study, series, frame-of-reference, equipment, image-plane, image-pixel, CT-image, VOI-LUT and
// SOP-common modules. Everything is deterministic: fixed dates and times, UIDs derived from seed and parameters.
#include <filesystem>
#include <string>

#include "core/phantom/generator.h"

namespace lunglens::core::phantom {

struct SeriesIds {
  std::string study_uid, series_uid, frame_of_reference_uid;
  std::string patient_name, patient_id;
};

// The identifiers the series of this phantom gets.
SeriesIds seriesIds(const Phantom& phantom);

// File name of slice k inside the series folder ("slice_0000.dcm", slice 0 the most inferior).
std::string sliceFileName(int k);

// Writes every slice into `dir` (created if needed). Throws InputError if a file cannot be written.
void writeDicomSeries(const Phantom& phantom, const std::filesystem::path& dir, int threads = 0);

}  // namespace lunglens::core::phantom
