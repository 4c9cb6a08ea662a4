#pragma once
// What a scan finds: image series grouped by study and series UID, their slices sorted in space, and the files that
// were not used, each with a one-line reason.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/volume/window.h"

namespace lunglens::core::dicom {

// Where an uncompressed little-endian 16-bit slice keeps its pixels, found by the scan, so the loader can read them
// straight from the file instead of parsing it again with GDCM. offset 0: decode through GDCM.
struct RawPixels {
  std::uint64_t offset = 0;  // byte offset of the first pixel
  bool is_signed = false;    // PixelRepresentation 1
  int bits_stored = 16;      // bits above this are not part of the value (masked; sign-extended if signed)
  double slope = 1.0, intercept = 0.0;  // the rescale GDCM would apply
};

struct SliceRef {
  std::string path;             // file holding the slice
  int frame = 0;                // frame within a multi-frame file
  std::string sop_instance_uid;
  int instance_number = 0;
  std::array<double, 3> position_mm{0.0, 0.0, 0.0};  // ImagePositionPatient
  double position_along_normal_mm = 0.0;             // dot(position, slice normal): the sort key
  RawPixels raw;                                     // fast path for uncompressed slices (offset 0 = none)
};

struct SeriesInfo {
  // Identity
  std::string study_uid, series_uid, frame_of_reference_uid, modality;
  // For the reader (may be empty)
  std::string patient_name, patient_id, patient_birth_date, patient_sex;
  std::string study_description, series_description, study_date, study_time, accession_number, institution;
  std::string manufacturer, convolution_kernel, body_part;
  int series_number = 0;
  // Image facts shared by all slices
  int rows = 0, cols = 0;
  std::array<double, 2> pixel_spacing_mm{1.0, 1.0};  // row spacing (between rows), column spacing (between columns)
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};  // ImageOrientationPatient
  double slice_thickness_mm = 0.0;
  double slice_spacing_mm = 0.0;  // median distance between consecutive slice positions
  std::vector<volume::Window> window_presets;  // from WindowCenter/WindowWidth(/Explanation) in the files
  // Slices, index 0 = lowest position along the slice normal
  std::vector<SliceRef> slices;
  // Things a reader should know (gap at position X, uneven spacing, dropped localizer, ...)
  std::vector<std::string> warnings;
};

struct SkippedFile {
  std::string path;
  std::string reason;  // one line
};

struct Catalog {
  std::vector<SeriesInfo> series;     // image series that can be loaded as volumes
  std::vector<SkippedFile> skipped;   // every file found but not used, with why
  std::vector<std::string> dicomdirs; // DICOMDIR files read as indexes (neither series nor skipped)
};

}  // namespace lunglens::core::dicom
